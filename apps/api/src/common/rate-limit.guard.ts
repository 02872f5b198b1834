import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request, Response } from 'express';

/** The named limits: `default` for the participant pages, `pdf` for every `.pdf` request. */
export const PDF_LIMIT = 'pdf';

/** Whether a request asks for a PDF (`/s/{token}.pdf`, `/api/v1/…-reports/{id}.pdf`). */
export const asksForPdf = (context: ExecutionContext): boolean =>
  /\.pdf$/i.test(context.switchToHttp().getRequest<Request>().path ?? '');

/**
 * Nest's throttler guard, saying `Retry-After` (in seconds) on every 429 whichever limit was hit: Nest
 * names the header after a limit other than the default one (`Retry-After-pdf`), which clients ignore.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(detail.timeToBlockExpire));
    return super.throwThrottlingException(context, detail);
  }
}
