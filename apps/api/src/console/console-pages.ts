import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { AppConfig } from '@luotsi/config';
import { textsFor } from '@luotsi/texts';
import { languageOf, pageContext, type ConsoleRequest } from './page-context';
import { renderFragment, renderView } from './views';

/** Sends console pages: the layout, the member's language, the form token, and no caching. */
@Injectable()
export class ConsolePages {
  constructor(private readonly config: AppConfig) {}

  /** Cookies are Secure in production, where the console is served over HTTPS. */
  get secure(): boolean {
    return this.config.isProduction;
  }

  /**
   * Renders `view` in the layout with `title` (a catalogue key) and the view's data. A request from htmx
   * that names a fragment gets only the view, so a form or a row can be swapped in place.
   */
  send(
    request: ConsoleRequest,
    response: Response,
    view: string,
    titleKey: string,
    data: Record<string, unknown> = {},
    status = 200,
  ): void {
    const t = textsFor(languageOf(request));
    const context = { ...pageContext(request, response, t(titleKey, data), this.secure), view, ...data };
    const html =
      request.get('hx-request') && request.get('hx-target') && !request.get('hx-boosted')
        ? renderFragment(view, context)
        : renderView(view, context);
    response.status(status).type('text/html; charset=utf-8').setHeader('Cache-Control', 'no-store');
    response.send(html);
  }

  /** After a successful form: go to the page that shows the result (303, so a reload does not repost). */
  redirect(response: Response, location: string): void {
    response.redirect(303, location);
  }
}
