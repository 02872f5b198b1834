import { timingSafeEqual } from 'node:crypto';
import {
  Body,
  CanActivate,
  Controller,
  ExecutionContext,
  HttpCode,
  Injectable,
  PipeTransform,
  Post,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { AppConfig } from '@luotsi/config';
import { BounceOutcome, BounceService, NotFoundError, UnauthenticatedError } from '@luotsi/domain';
import { bearerToken, Public } from '../common/auth';
import { rawBodyReader } from '../common/raw-body-reader';
import { validationPipe } from '../common/validation';

/** The raw message types the endpoint takes (an MTA pipe posts the message as it came). */
const INBOUND_MESSAGE_TYPES = ['message/rfc822', 'text/plain'];
/** A bounce quotes the original at most; ours are small. */
const INBOUND_LIMIT = '2mb';

class BounceNoticeDto {
  @ApiProperty({
    description: 'The X-Luotsi-Mail header of the mail that bounced: `{outbox id}.{tag}`',
    example: '0b6c2f4e-54b9-4d1e-9a57-3f3c1f7f2a10.5f1d3a9c0e7b2d44',
  })
  @IsString()
  @MaxLength(200)
  mail: string;
  @ApiProperty({
    description: 'The enhanced status code; only 5.x.x marks the address bounced',
    example: '5.1.1',
  })
  @IsString()
  @Matches(/^[245]\.\d{1,3}\.\d{1,3}$/, { message: 'an enhanced status code, e.g. 5.1.1' })
  status: string;
  @ApiPropertyOptional({ example: 'aino@example.fi' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  recipient?: string;
  @ApiPropertyOptional({ example: 'smtp; 550 5.1.1 User unknown' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  diagnostic?: string;
}

class BounceOutcomeDto {
  @ApiProperty({ enum: ['bounced', 'duplicate', 'ignored'] }) outcome: BounceOutcome['outcome'];
  @ApiPropertyOptional({ format: 'uuid' }) outboxId?: string;
  @ApiPropertyOptional({
    description: 'Why it was ignored: unmatched, forged, unknown message, not a permanent failure',
  })
  reason?: string;
}

/**
 * The body: a returned message's bytes as they are, or the JSON notice checked as every DTO is (the
 * shared input check and class-validator's rules, by the same pipe): the route takes both, so its
 * parameter names no DTO of its own.
 */
@Injectable()
class BounceBody implements PipeTransform<unknown, Promise<Buffer | BounceNoticeDto>> {
  private readonly pipe = validationPipe();

  async transform(body: unknown): Promise<Buffer | BounceNoticeDto> {
    if (Buffer.isBuffer(body)) return body;
    return (await this.pipe.transform(body, { type: 'body', metatype: BounceNoticeDto })) as BounceNoticeDto;
  }
}

/** INBOUND_TOKEN as the bearer token, checked before the body is; unset, the route is not there (404). */
@Injectable()
class InboundToken implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.inbound.token;
    if (!expected) throw new NotFoundError('resource');
    const given = Buffer.from(bearerToken(context.switchToHttp().getRequest<Request>()) ?? '');
    const wanted = Buffer.from(expected);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted))
      throw new UnauthenticatedError('The inbound endpoint needs the INBOUND_TOKEN bearer token.');
    return true;
  }
}

/**
 * Bounces coming in: a returned message piped from the mail server of BOUNCE_DOMAIN (an RFC 3464 DSN), or
 * a provider's JSON notice. Not a workspace route (@Public for the workspace guard): it wants the
 * INBOUND_TOKEN bearer token, and is closed (404) without one configured. Whatever it makes of a
 * message, it accepts it (202): a sender retrying a message we cannot use would only send it again.
 */
@ApiTags('inbound')
@ApiBearerAuth()
@Public()
@UseGuards(InboundToken)
@UseInterceptors(rawBodyReader(INBOUND_MESSAGE_TYPES, INBOUND_LIMIT))
@Controller('inbound/bounces')
export class InboundController {
  constructor(private readonly bounces: BounceService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary:
      "A bounce: a returned message (message/rfc822 or text/plain, as the mail server got it) or a provider's JSON notice",
  })
  @ApiConsumes('application/json', ...INBOUND_MESSAGE_TYPES)
  @ApiBody({
    type: BounceNoticeDto,
    description:
      'JSON as shown; or a DSN (multipart/report) as the mail server received it, matched by its VERP recipient or the returned X-Luotsi-Mail header',
  })
  @ApiAcceptedResponse({
    type: BounceOutcomeDto,
    description:
      'Accepted: `bounced` (marked now), `duplicate` (marked already) or `ignored` with the reason',
  })
  @ApiUnauthorizedResponse({ description: 'No bearer token, or not INBOUND_TOKEN' })
  @ApiNotFoundResponse({ description: 'INBOUND_TOKEN is not set: the endpoint is closed' })
  @ApiUnprocessableEntityResponse({
    description: 'A JSON notice without `mail` or `status`, or with a field of the wrong kind',
  })
  receive(@Body(BounceBody) body: Buffer | BounceNoticeDto): Promise<BounceOutcome> {
    if (Buffer.isBuffer(body)) return this.bounces.receiveReport(body.toString('utf8'));
    return this.bounces.receiveNotice(body);
  }
}
