import { Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  ConflictError,
  NotFoundError,
  PdfUnavailableError,
  ReportFormats,
  ReportSharing,
  unknownLink,
  type ReportFormat,
} from '@luotsi/domain';
import { RefusalTexts, sendErrorPage, sendRefusal } from '../participant-pages/error-page';
import { ParticipantPage } from '../participant-pages/participant-page';
import { sendReport } from './report-response';

/** `{token}` (a page), `{token}.pdf`, `.csv`, `.json`, `.html`: a token is base64url, so it has no dot. */
const PATH = /^([^.]*)(?:\.(html|pdf|csv|json))?$/;

/** A shared link is refused in English: it names nobody whose language it could take. */
const REFUSALS: RefusalTexts = {
  unknown: {
    title: 'This link does not work',
    body: 'Check that the whole link was copied, or ask for a new one.',
  },
  gone: {
    title: 'This link is no longer valid',
    body: 'It has expired or was withdrawn. Ask the sender for a new link.',
  },
};

/** What the link's report is not, for now or for good. */
const UNAVAILABLE = {
  removed: [410, 'This report is no longer available', 'Ask the sender for a new link.'],
  building: [503, 'The report is being updated', 'Please try again in a minute.'],
  pdf: [501, 'PDF is not available here', 'Open the report as a page and print it from the browser instead.'],
} as const;

/**
 * `/s/{token}`: a report shared by link, for someone without an account. The token is the only
 * credential: the page is never cached, never indexed, sends no referrer, and its path is masked in
 * the logs. Expired, revoked and unknown links get a short page that says so and nothing more.
 */
@ParticipantPage('s')
export class SharedReportController {
  constructor(
    private readonly sharing: ReportSharing,
    private readonly formats: ReportFormats,
  ) {}

  @Get(':token')
  async show(@Param('token') path: string, @Res() response: Response) {
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('X-Robots-Tag', 'noindex, nofollow, noarchive');
    const [, token, extension] = PATH.exec(path) ?? [];
    const opened = token ? await this.sharing.open(token) : unknownLink();
    if (opened.status === 'refused') return sendRefusal(response, opened, { en: REFUSALS }, 'en');
    const format: ReportFormat = (extension as ReportFormat | undefined) ?? 'html';
    try {
      const view = await this.formats.forShare(opened.share);
      // Relative links: the page lives at /s/{token}, so these stay on the same link.
      const downloads = { pdf: `${token}.pdf`, csv: `${token}.csv` };
      sendReport(response, await this.formats.render(view, format, { downloads, noindex: true }));
    } catch (error) {
      if (error instanceof NotFoundError) return refuse(response, 'removed');
      if (error instanceof ConflictError) {
        response.setHeader('Retry-After', '60');
        return refuse(response, 'building');
      }
      if (error instanceof PdfUnavailableError) return refuse(response, 'pdf');
      throw error;
    }
  }
}

function refuse(response: Response, kind: keyof typeof UNAVAILABLE): void {
  const [status, title, body] = UNAVAILABLE[kind];
  sendErrorPage(response, status, () => ({ title, body }), 'en');
}
