import type { Request, Response } from 'express';
import { textsFor } from '@luotsi/texts';
import { languageOf, pageContext, type ConsoleRequest } from './page-context';
import { renderView } from './views';

const KNOWN = new Set([400, 401, 403, 404, 409, 422, 429, 500, 503]);

/**
 * A failed console request as a page in the member's language. A GET without a session goes to the
 * sign-in page and comes back afterwards.
 */
export function sendConsoleFailure(
  request: Request,
  response: Response,
  status: number,
  options: { csrf?: boolean; secure?: boolean } = {},
): void {
  if (status === 401 && ['GET', 'HEAD'].includes(request.method)) {
    const next = encodeURIComponent(request.originalUrl);
    response.redirect(303, `/app/sign-in?next=${next}`);
    return;
  }
  const key = options.csrf ? 'csrf' : KNOWN.has(status) ? String(status) : status >= 500 ? '500' : '400';
  const t = textsFor(languageOf(request as ConsoleRequest));
  const title = t(`console:errors.${key}.title`);
  const context = pageContext(request as ConsoleRequest, null, title, options.secure ?? false);
  response
    .status(status)
    .type('text/html; charset=utf-8')
    .setHeader('Cache-Control', 'no-store')
    .send(renderView('error', { ...context, heading: title, message: t(`console:errors.${key}.body`) }));
}
