import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ANONYMITY_MODES, type AnonymityMode } from '@luotsi/database';
import { RetrospectiveService } from '@luotsi/domain';
import { Authenticated, Roles } from '../common/auth';
import { Id } from '../common/params';

class OpenRetrospectiveDto {
  @ApiPropertyOptional({ description: 'A question set id or `builtin:end-of-quarter` (the default)' })
  @IsOptional()
  @IsString()
  @Matches(/^(builtin:end-of-quarter|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, {
    message: 'a question set id or builtin:end-of-quarter',
  })
  questionSetId?: string;
  @ApiPropertyOptional({ enum: ANONYMITY_MODES, default: 'anonymous' })
  @IsOptional()
  @IsIn(ANONYMITY_MODES)
  anonymity?: AnonymityMode;
  @ApiPropertyOptional({
    minimum: 3,
    maximum: 50,
    default: 5,
    description: 'No breakdown for a group with fewer responses',
  })
  @IsOptional()
  @IsInt()
  @Min(3)
  @Max(50)
  minGroupSize?: number;
}

/** Retrospective runs for the coach: open by hand, remind non-responders, close; the live response rate. */
@ApiTags('retrospectives')
@Authenticated()
@Controller()
export class RetrospectiveController {
  constructor(private readonly retrospectives: RetrospectiveService) {}

  @Get('quarters/:id/retrospectives')
  @ApiOkResponse({ description: "The quarter's runs, with invited, responded and responseRate" })
  list(@Param('id', Id('quarter')) quarterId: string) {
    return this.retrospectives.listForQuarter(quarterId);
  }

  @Post('quarters/:id/retrospectives')
  @Roles('owner', 'coach')
  @ApiCreatedResponse({ description: 'Opens the run now and sends the invitations' })
  open(@Param('id', Id('quarter')) quarterId: string, @Body() body: OpenRetrospectiveDto) {
    return this.retrospectives.open(quarterId, body);
  }

  @Get('retrospectives/:id')
  @ApiOkResponse({ description: 'The run, its questions and its live response rate' })
  get(@Param('id', Id('retrospective')) id: string) {
    return this.retrospectives.get(id);
  }

  @Post('retrospectives/:id/remind')
  @Roles('owner', 'coach')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Reminds those who have not answered; `reminded` counts them' })
  remind(@Param('id', Id('retrospective')) id: string) {
    return this.retrospectives.remind(id);
  }

  @Post('retrospectives/:id/close')
  @Roles('owner', 'coach')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Closes the run: links stop working, unsent invitations never go' })
  close(@Param('id', Id('retrospective')) id: string) {
    return this.retrospectives.close(id);
  }
}
