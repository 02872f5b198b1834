import { timingSafeEqual } from 'node:crypto';
import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
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
import {
  BounceOutcome,
  BounceService,
  InvalidInputError,
  NotFoundError,
  UnauthenticatedError,
} from '@luotsi/domain';
import { bearerToken, Public } from '../common/auth';

/** The raw message types the endpoint takes (an MTA pipe posts the message as it came). */
export const INBOUND_MESSAGE_TYPES = ['message/rfc822', 'text/plain'];
/** A bounce quotes the original at most; ours are small. */
export const INBOUND_LIMIT = '2mb';

class BounceNoticeDto {
  @ApiProperty({
    description: 'The X-Luotsi-Mail header of the mail that bounced: `{outbox id}.{tag}`',
    example: '0b6c2f4e-54b9-4d1e-9a57-3f3c1f7f2a10.5f1d3a9c0e7b2d44',
  })
  mail: string;
  @ApiProperty({
    description: 'The enhanced status code; only 5.x.x marks the address bounced',
    example: '5.1.1',
  })
  status: string;
  @ApiPropertyOptional({ example: 'aino@example.fi' }) recipient?: string;
  @ApiPropertyOptional({ example: 'smtp; 550 5.1.1 User unknown' }) diagnostic?: string;
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
 * Bounces coming in: a returned message piped from the mail server of BOUNCE_DOMAIN (an RFC 3464 DSN), or
 * a provider's JSON notice. Not a workspace route (@Public for the workspace guard): it wants the
 * INBOUND_TOKEN bearer token, and is closed (404) without one configured. Whatever it makes of a
 * message, it accepts it (202): a sender retrying a message we cannot use would only send it again.
 */
@ApiTags('inbound')
@ApiBearerAuth()
@Public()
@Controller('inbound/bounces')
export class InboundController {
  constructor(
    private readonly bounces: BounceService,
    private readonly config: AppConfig,
  ) {}

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
    description: 'A JSON notice without `mail` or `status`, or not JSON nor a message',
  })
  receive(@Req() request: Request, @Body() body: unknown): Promise<BounceOutcome> {
    this.authorize(request);
    if (Buffer.isBuffer(body)) return this.bounces.receiveReport(body.toString('utf8'));
    if (request.is('application/json')) return this.bounces.receiveNotice(notice(body));
    throw new InvalidInputError(
      'Send the returned message (message/rfc822 or text/plain) or a JSON notice.',
      [{ field: 'body', reason: 'not a message nor JSON' }],
    );
  }

  private authorize(request: Request): void {
    const expected = this.config.inbound.token;
    if (!expected) throw new NotFoundError('resource');
    const given = Buffer.from(bearerToken(request) ?? '');
    const wanted = Buffer.from(expected);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted))
      throw new UnauthenticatedError('The inbound endpoint needs the INBOUND_TOKEN bearer token.');
  }
}

/** The JSON notice, checked by hand: the same route takes raw messages, which no DTO describes. */
function notice(body: unknown): { mail: string; status: string; recipient?: string; diagnostic?: string } {
  const value = (body ?? {}) as Record<string, unknown>;
  const issues: { field: string; reason: string }[] = [];
  const text = (field: string, max: number, required: boolean) => {
    const v = value[field];
    if (v === undefined || v === null) {
      if (required) issues.push({ field, reason: 'is required' });
      return undefined;
    }
    if (typeof v !== 'string') issues.push({ field, reason: 'must be a string' });
    else if (v.length > max) issues.push({ field, reason: `at most ${max} characters` });
    else return v;
    return undefined;
  };
  const mail = text('mail', 200, true);
  const status = text('status', 20, true);
  if (status !== undefined && !/^[245]\.\d{1,3}\.\d{1,3}$/.test(status))
    issues.push({ field: 'status', reason: 'an enhanced status code, e.g. 5.1.1' });
  const recipient = text('recipient', 254, false);
  const diagnostic = text('diagnostic', 1000, false);
  if (issues.length) throw new InvalidInputError('Invalid bounce notice.', issues);
  return { mail: mail!, status: status!, recipient, diagnostic };
}
