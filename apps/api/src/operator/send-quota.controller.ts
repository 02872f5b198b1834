import {
  CanActivate,
  Body,
  Controller,
  ExecutionContext,
  HttpCode,
  Injectable,
  Put,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { IsInt, IsUUID, Max, Min, ValidateIf } from 'class-validator';
import type { Request } from 'express';
import {
  ForbiddenError,
  MAX_DAILY_SEND_QUOTA,
  NotFoundError,
  SendQuotaService,
  UnauthenticatedError,
} from '@luotsi/domain';
import { Public } from '../common/auth';
import { ProblemDto } from '../common/openapi';
import { OperatorAccess } from '../queue-board/queue-board-access';

class SendQuotaDto {
  @ApiProperty({ format: 'uuid', description: 'The workspace' })
  @IsUUID('all')
  workspaceId: string;

  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: MAX_DAILY_SEND_QUOTA,
    description: 'Participant mails a UTC day; null returns the workspace to DEFAULT_DAILY_SEND_QUOTA',
  })
  @ValidateIf((dto: SendQuotaDto) => dto.daily !== null)
  @IsInt()
  @Min(0)
  @Max(MAX_DAILY_SEND_QUOTA)
  daily: number | null;
}

/** Only the operator's bearer token (OPERATOR_TOKEN) passes; unset, the route is closed (404). */
@Injectable()
export class OperatorOnly implements CanActivate {
  constructor(private readonly access: OperatorAccess) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const refusal = await this.access.check(context.switchToHttp().getRequest<Request>(), { cookies: false });
    if (refusal?.status === 404) throw new NotFoundError('resource');
    if (refusal?.status === 403)
      throw new ForbiddenError("Send quotas are the operator's: only OPERATOR_TOKEN sets them.");
    if (refusal) throw new UnauthenticatedError(refusal.detail);
    return true;
  }
}

/**
 * The operator raises (or lowers) a workspace's daily send quota. Not a workspace route (@Public for the
 * workspace guard): the operator token alone opens it.
 */
@ApiTags('operations')
@ApiBearerAuth()
@Public()
@UseGuards(OperatorOnly)
@Controller('operator/send-quota')
export class SendQuotaController {
  constructor(private readonly quotas: SendQuotaService) {}

  @Put()
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Sets a workspace's daily send quota; mail it held is released at once (what is still over today's quota waits for tomorrow). The bearer token must be OPERATOR_TOKEN",
  })
  @ApiOkResponse({ description: '`{ workspaceId, daily, isDefault, usedToday, released }`' })
  @ApiUnauthorizedResponse({ type: ProblemDto, description: 'No bearer token, or not the operator token' })
  @ApiForbiddenResponse({ type: ProblemDto, description: "A workspace's token: quotas are the operator's" })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'OPERATOR_TOKEN is not set, or no such workspace' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: '`workspaceId` or `daily` is not valid' })
  set(@Body() body: SendQuotaDto) {
    return this.quotas.setDaily(body.workspaceId, body.daily);
  }
}
