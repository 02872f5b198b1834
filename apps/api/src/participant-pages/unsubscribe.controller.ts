import { Get, Header, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { UnsubscribeService } from '@luotsi/domain';
import { renderPage } from './page';
import { sendRefusal } from './error-page';
import { ParticipantPage } from './participant-page';
import { UNSUBSCRIBE_TEXTS } from './unsubscribe.texts';

/**
 * `/u/{token}`: the visible link shows a one-button page (a GET never unsubscribes, so link scanners
 * cannot); a POST — from that button or a mail client's RFC 8058 one-click — unsubscribes at once.
 */
@ParticipantPage('u')
export class UnsubscribeController {
  constructor(private readonly unsubscribes: UnsubscribeService) {}

  @Get(':token')
  @Header('Cache-Control', 'no-store')
  async show(@Param('token') token: string, @Res() response: Response) {
    const found = await this.unsubscribes.find(token);
    if (found.status === 'refused') return sendRefusal(response, found, {});
    const { target } = found;
    const t = UNSUBSCRIBE_TEXTS[target.locale];
    if (target.alreadyUnsubscribed) {
      return response
        .type('html')
        .send(
          renderPage({ locale: target.locale, title: t.title, heading: t.done, paragraphs: [t.doneBody] }),
        );
    }
    response.type('html').send(
      renderPage({
        locale: target.locale,
        title: t.title,
        heading: t.title,
        paragraphs: [t.confirm(target.organizationName)],
        form: { action: `/u/${token}`, button: t.button, hidden: { 'List-Unsubscribe': 'One-Click' } },
      }),
    );
  }

  @Post(':token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async unsubscribe(@Param('token') token: string, @Res() response: Response) {
    const done = await this.unsubscribes.unsubscribe(token);
    if (done.status === 'refused') return sendRefusal(response, done, {});
    const { target } = done;
    const t = UNSUBSCRIBE_TEXTS[target.locale];
    response
      .type('html')
      .send(renderPage({ locale: target.locale, title: t.title, heading: t.done, paragraphs: [t.doneBody] }));
  }
}
