import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsUUID } from 'class-validator';
import { DeliveryReportService } from '@luotsi/domain';
import { Authenticated, Roles } from '../common/auth';
import { Id } from '../common/params';

class RetryDto {
  @ApiPropertyOptional({
    type: [String],
    description: 'Only these failed messages; all of the quarter when absent',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  ids?: string[];
}

/** The outbox of a quarter, for the coach: counts by status and step, failures with reasons, retry. */
@ApiTags('deliveries')
@Authenticated()
@Roles('owner', 'coach')
@Controller('quarters/:id/deliveries')
export class DeliveryController {
  constructor(private readonly deliveries: DeliveryReportService) {}

  @Get()
  @ApiOkResponse({ description: 'Counts by status, per step, the failed messages and their reasons' })
  report(@Param('id', Id('quarter')) id: string) {
    return this.deliveries.report(id);
  }

  @Post('retry')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{ retried }`: failed messages queued again' })
  retry(@Param('id', Id('quarter')) id: string, @Body() body: RetryDto) {
    return this.deliveries.retry(id, body.ids);
  }
}
