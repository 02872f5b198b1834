import type { Response } from 'express';
import type { ReportKind, ReportStatus } from '@luotsi/database';
import { NotFoundError, PdfUnavailableError, ReportFormats, reportLanguage, type PageFrame } from '@luotsi/domain';
import type { Language } from '@luotsi/texts';
import { isReportFormat, sendReport } from '../../reports/report-response';
import { languageOf, type ConsoleRequest } from '../page-context';

/** Owners and coaches manage reports (build, note, share); sponsors read them. */
export const isManager = (request: ConsoleRequest): boolean =>
  request.actor?.role === 'owner' || request.actor?.role === 'coach';

/** What the report's part of a page shows: where its build stands, and the report itself once ready. */
export interface ReportArea {
  status: ReportStatus | 'none';
  /** Queued or building: the page polls until it is not. */
  building: boolean;
  progress: number;
  builtAt: Date | null;
  /** The report's own masthead lines and sections, as its renderer makes them. */
  frame: PageFrame | null;
  /** The language the report is shown in; the links to its formats ask for the same (`?lang=`). */
  language: Language;
}

/**
 * The language of a report embedded in a console page: `?lang=` (checked: 422 naming `lang`), else the
 * member's own console language, so the report reads like the page around it.
 */
export const embeddedLanguage = (request: ConsoleRequest): Language =>
  reportLanguage(request.query.lang) ?? languageOf(request);

/**
 * The report's area of a console page. The sections are the report renderer's own (the same HTML as
 * the page, PDF and share link), embedded rather than rewritten, with their inline SVG charts.
 */
export async function reportArea(
  formats: ReportFormats,
  kind: ReportKind,
  report: { id: string; status: ReportStatus; progress: number; builtAt: Date | null } | null,
  language: Language,
): Promise<ReportArea> {
  if (!report) return { status: 'none', building: false, progress: 0, builtAt: null, frame: null, language };
  const building = report.status === 'queued' || report.status === 'building';
  const frame =
    report.status === 'ready' ? await formats.frame(await formats.forMember(kind, report.id, language)) : null;
  return { status: report.status, building, progress: report.progress, builtAt: report.builtAt, frame, language };
}

/**
 * A report in one of its formats for a signed-in member, as the API's format routes send it: in
 * `?lang=`, else the organization's language.
 */
export async function sendFormat(
  formats: ReportFormats,
  request: ConsoleRequest,
  response: Response,
  kind: ReportKind,
  id: string,
  format: string,
): Promise<void> {
  if (!isReportFormat(format) || format === 'json') throw new NotFoundError('report format');
  const language = reportLanguage(request.query.lang);
  const view = await formats.forMember(kind, id, language);
  try {
    sendReport(response, await formats.render(view, format));
  } catch (error) {
    // Where Chromium is missing the PDF cannot be printed: the page itself prints from the browser.
    if (error instanceof PdfUnavailableError) throw new NotFoundError('PDF of the report');
    throw error;
  }
}
