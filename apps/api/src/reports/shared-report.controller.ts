import { Get, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Locale } from '@luotsi/database';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  PdfBusyError,
  PdfUnavailableError,
  ReportFormats,
  reportLanguage,
  ReportSharing,
  unknownLink,
  type ReportFormat,
} from '@luotsi/domain';
import { RefusalTexts, sendErrorPage, sendRefusal, Words } from '../participant-pages/error-page';
import { ParticipantPage } from '../participant-pages/participant-page';
import type { Language } from '@luotsi/texts';
import { sendReport } from './report-response';

/** `{token}` (a page), `{token}.pdf`, `.csv`, `.json`, `.html`: a token is base64url, so it has no dot. */
const PATH = /^([^.]*)(?:\.(html|pdf|csv|json))?$/;

/**
 * A shared link names nobody whose language it could take: its refusals follow the reader's browser
 * (`Accept-Language`), English when it asks for none of the three.
 */
const REFUSALS: Partial<Record<Locale, RefusalTexts>> = {
  en: {
    unknown: {
      title: 'This link does not work',
      body: 'Check that the whole link was copied, or ask for a new one.',
    },
    gone: {
      title: 'This link is no longer valid',
      body: 'It has expired or was withdrawn. Ask the sender for a new link.',
    },
  },
  fi: {
    unknown: {
      title: 'Linkki ei toimi',
      body: 'Tarkista, että kopioit koko linkin, tai pyydä uusi linkki.',
    },
    gone: {
      title: 'Linkki ei ole enää voimassa',
      body: 'Linkki on vanhentunut tai peruttu. Pyydä lähettäjältä uusi linkki.',
    },
  },
  sv: {
    unknown: {
      title: 'Länken fungerar inte',
      body: 'Kontrollera att hela länken kopierades, eller be om en ny.',
    },
    gone: {
      title: 'Länken gäller inte längre',
      body: 'Länken har gått ut eller dragits tillbaka. Be avsändaren om en ny länk.',
    },
  },
};

type Unavailable = 'removed' | 'building' | 'busy' | 'pdf' | 'language';

/** What the link's report is not, for now or for good: the status, then the words in each language. */
const UNAVAILABLE: Record<Unavailable, [number, Record<Locale, Words>]> = {
  removed: [
    410,
    {
      en: { title: 'This report is no longer available', body: 'Ask the sender for a new link.' },
      fi: { title: 'Raportti ei ole enää saatavilla', body: 'Pyydä lähettäjältä uusi linkki.' },
      sv: { title: 'Rapporten finns inte längre', body: 'Be avsändaren om en ny länk.' },
    },
  ],
  building: [
    503,
    {
      en: { title: 'The report is being updated', body: 'Please try again in a minute.' },
      fi: { title: 'Raporttia päivitetään', body: 'Yritä uudelleen hetken kuluttua.' },
      sv: { title: 'Rapporten uppdateras', body: 'Försök igen om en minut.' },
    },
  ],
  busy: [
    503,
    {
      en: { title: 'The PDF is being printed for others', body: 'Please try again in a moment.' },
      fi: { title: 'PDF-tiedostoja tulostetaan juuri muille', body: 'Yritä uudelleen hetken kuluttua.' },
      sv: { title: 'PDF-filer skrivs ut för andra just nu', body: 'Försök igen om en stund.' },
    },
  ],
  language: [
    422,
    {
      en: { title: 'No such language', body: 'The report is in Finnish, Swedish or English: lang=fi, sv or en.' },
      fi: { title: 'Kieltä ei ole', body: 'Raportti on suomeksi, ruotsiksi tai englanniksi: lang=fi, sv tai en.' },
      sv: { title: 'Språket finns inte', body: 'Rapporten finns på finska, svenska eller engelska: lang=fi, sv eller en.' },
    },
  ],
  pdf: [
    501,
    {
      en: {
        title: 'PDF is not available here',
        body: 'Open the report as a page and print it from the browser instead.',
      },
      fi: {
        title: 'PDF ei ole saatavilla täällä',
        body: 'Avaa raportti sivuna ja tulosta se selaimesta.',
      },
      sv: {
        title: 'PDF finns inte här',
        body: 'Öppna rapporten som en sida och skriv ut den från webbläsaren.',
      },
    },
  ],
};

/** The reader's language among fi, sv and en, from the browser; English when none of them. */
const readerLocale = (request: Request): Locale =>
  (request.acceptsLanguages('en', 'fi', 'sv') || 'en') as Locale;

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
  async show(
    @Param('token') path: string,
    @Query('lang') lang: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    const locale = readerLocale(request);
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('X-Robots-Tag', 'noindex, nofollow, noarchive');
    // The report in `?lang=`, else the organization's language; another `lang` is a 422 page naming it.
    let language: Language | undefined;
    try {
      language = reportLanguage(lang);
    } catch (error) {
      if (error instanceof InvalidInputError) return refuse(response, 'language', locale);
      throw error;
    }
    const [, token, extension] = PATH.exec(path) ?? [];
    const opened = token ? await this.sharing.open(token) : unknownLink();
    if (opened.status === 'refused') return sendRefusal(response, opened, REFUSALS, locale);
    const format: ReportFormat = (extension as ReportFormat | undefined) ?? 'html';
    try {
      const view = await this.formats.forShare(opened.share, language);
      // Relative links: the page lives at /s/{token}, so these stay on the same link, in the same language.
      const query = language ? `?lang=${language}` : '';
      const downloads = { pdf: `${token}.pdf${query}`, csv: `${token}.csv${query}` };
      sendReport(response, await this.formats.render(view, format, { downloads, noindex: true }));
    } catch (error) {
      if (error instanceof NotFoundError) return refuse(response, 'removed', locale);
      if (error instanceof ConflictError) {
        response.setHeader('Retry-After', '60');
        return refuse(response, 'building', locale);
      }
      if (error instanceof PdfBusyError) {
        response.setHeader('Retry-After', String(error.retryAfterSeconds));
        return refuse(response, 'busy', locale);
      }
      if (error instanceof PdfUnavailableError) return refuse(response, 'pdf', locale);
      throw error;
    }
  }
}

function refuse(response: Response, kind: Unavailable, locale: Locale): void {
  const [status, words] = UNAVAILABLE[kind];
  sendErrorPage(response, status, (l) => words[l], locale);
}
