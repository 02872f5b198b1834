import type { Response } from 'express';
import { REPORT_FORMATS, type RenderedReport, type ReportFormat } from '@luotsi/domain';

export const isReportFormat = (value: string): value is ReportFormat =>
  (REPORT_FORMATS as readonly string[]).includes(value);

/**
 * Sends a rendered report: a page is shown, a PDF opens in the browser, a CSV downloads. Reports carry
 * people's answers, so nothing is cached along the way.
 */
export function sendReport(response: Response, report: RenderedReport): void {
  response.setHeader('Content-Type', report.contentType);
  response.setHeader('Content-Language', report.language);
  if (!response.getHeader('Cache-Control')) response.setHeader('Cache-Control', 'private, no-store');
  if (report.contentType.startsWith('text/csv'))
    response.setHeader('Content-Disposition', `attachment; filename="${report.filename}"`);
  else if (report.contentType === 'application/pdf')
    response.setHeader('Content-Disposition', `inline; filename="${report.filename}"`);
  response.status(200).send(report.body);
}
