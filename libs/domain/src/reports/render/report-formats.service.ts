import { Injectable } from '@nestjs/common';
import type { ReportKind, ShareAudience } from '@luotsi/database';
import { isLanguage, textsFor, formatQuarter, type Language } from '@luotsi/texts';
import { ConflictError, InvalidInputError, NotFoundError } from '../../common/errors';
import { OrganizationService } from '../../organizations';
import { Tenancy } from '../../tenancy/tenancy.service';
import type { LearningReportContent, ReadinessReportContent } from '../report-content';
import { storedLearning } from '../learning/stored-learning';
import type { StoredReport } from '../report-rows';
import { ReportsStore } from '../reports.store';
import { publishLearning } from '../publication/publication-policy';
import { learningCsv, readinessCsv } from './report-csv';
import { learningFrame, readinessFrame, renderLearningHtml, renderReadinessHtml, type PageFrame } from './report-html';
import { ReportPrinter } from './report-printer';

export const REPORT_FORMATS = ['json', 'html', 'csv', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderedReport {
  contentType: string;
  /** The language it is written in (for Content-Language). */
  language: Language;
  body: string | Buffer;
  /** A file name for downloads (ASCII). */
  filename: string;
}

/** Which build of which report a view shows, and through what: a printed PDF is kept under it. */
export interface ViewSource {
  reportId: string;
  generation: number;
  channel: 'account' | 'link';
}

/** A built report narrowed to the audience that will read it, in the language it will be read in. */
export type ReportView = (
  | { kind: 'learning'; audience: ShareAudience; language: Language; content: LearningReportContent }
  | { kind: 'readiness'; audience: ShareAudience; language: Language; content: ReadinessReportContent }
) & { source?: ViewSource };

/**
 * The language a reader asked for (`?lang=`), checked: absent means the organization's own language;
 * anything but fi, sv or en is refused with the field named.
 */
export function reportLanguage(lang: unknown): Language | undefined {
  if (lang === undefined || lang === '') return undefined;
  if (isLanguage(lang)) return lang;
  throw new InvalidInputError('The report language must be one of fi, sv or en.', [
    { field: 'lang', reason: 'must be one of fi, sv, en' },
  ]);
}

const LABEL: Record<ReportKind, string> = { learning: 'learning report', readiness: 'readiness report' };

const slug = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, 60) || 'report';

/**
 * Serves a built report in each format, never recomputing it: the stored content is narrowed to its
 * audience first (`publishLearning`), and every format is rendered from that view, so what a sponsor may
 * not see is absent from the JSON, the page, the CSV and the PDF alike.
 */
@Injectable()
export class ReportFormats {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly store: ReportsStore,
    private readonly printer: ReportPrinter,
    private readonly organizations: OrganizationService,
  ) {}

  /**
   * For a signed-in member, within the workspace (and a sponsor's grants); sponsors get their view. In
   * the language asked for, else the organization's default locale.
   */
  async forMember(kind: ReportKind, reportId: string, language?: Language): Promise<ReportView> {
    const audience: ShareAudience = this.tenancy.actor.role === 'sponsor' ? 'sponsor' : 'coach';
    const row: StoredReport = await this.store.getReport(kind, reportId);
    const chosen = language ?? (await this.organizations.get(row.organizationId)).defaultLocale;
    return this.view(kind, row, audience, chosen, 'account');
  }

  /** The learning report of a quarter, by the quarter's id (the path the design names). */
  async learningReportOfQuarter(quarterId: string): Promise<string> {
    const row = await this.store.findLearningReport(quarterId);
    if (!row) throw new NotFoundError(LABEL.learning);
    return row.id;
  }

  /** For a share link: no actor, so the workspace comes from the link itself. */
  async forShare(share: {
    workspaceId: string;
    reportKind: ReportKind;
    reportId: string;
    audience: ShareAudience;
  }, language?: Language): Promise<ReportView> {
    const row = await this.store.reportForShare(share.reportKind, share.workspaceId, share.reportId);
    if (!row) throw new NotFoundError(LABEL[share.reportKind]);
    return this.view(share.reportKind, row, share.audience, language ?? row.locale, 'link');
  }

  async render(
    view: ReportView,
    format: ReportFormat,
    options: { downloads?: { pdf: string; csv: string }; noindex?: boolean } = {},
  ): Promise<RenderedReport> {
    const filename = this.filename(view);
    switch (format) {
      case 'json':
        return {
          contentType: 'application/json; charset=utf-8',
          language: view.language,
          body: JSON.stringify(view.content),
          filename: `${filename}.json`,
        };
      case 'csv':
        return {
          contentType: 'text/csv; charset=utf-8; header=present',
          language: view.language,
          body:
            view.kind === 'learning'
              ? learningCsv(view.content, view.audience, view.language)
              : readinessCsv(view.content, view.audience, view.language),
          filename: `${filename}.csv`,
        };
      case 'html':
        return {
          contentType: 'text/html; charset=utf-8',
          language: view.language,
          body: await this.html(view, options),
          filename: `${filename}.html`,
        };
      case 'pdf':
        return {
          contentType: 'application/pdf',
          language: view.language,
          body: await this.pdf(view, options.noindex),
          filename: `${filename}.pdf`,
        };
    }
  }

  /**
   * The PDF is the page itself, printed: the same view, the same privacy. Printed once per build,
   * language, audience and channel, and kept: a second request is served from what was kept.
   */
  private async pdf(view: ReportView, noindex?: boolean): Promise<Buffer> {
    const key = view.source && {
      reportId: view.source.reportId,
      generation: view.source.generation,
      channel: view.source.channel,
      language: view.language,
      audience: view.audience,
    };
    const kept = key && (await this.store.printedPdf(key));
    if (kept) {
      this.pdfCounts.kept++;
      return kept;
    }
    // The page is made only once the printer has room: a refused request renders nothing.
    const pdf = await this.printer.print(() => this.html(view, { noindex }), this.title(view));
    if (key) await this.store.keepPdf(key, view.kind, pdf);
    return pdf;
  }

  /** PDFs served from what was kept (not printed again), since this process started. */
  readonly pdfCounts = { kept: 0 };

  html(
    view: ReportView,
    options: { downloads?: { pdf: string; csv: string }; noindex?: boolean } = {},
  ): Promise<string> {
    const html = { audience: view.audience, language: view.language, ...options };
    return view.kind === 'learning'
      ? renderLearningHtml(view.content, html)
      : renderReadinessHtml(view.content, html);
  }

  /** The report's masthead and sections without the page around them, to embed in the console. */
  frame(view: ReportView): Promise<PageFrame> {
    const html = { audience: view.audience, language: view.language };
    return view.kind === 'learning' ? learningFrame(view.content, html) : readinessFrame(view.content, html);
  }

  private view(
    kind: ReportKind,
    row: StoredReport,
    audience: ShareAudience,
    language: string,
    channel: 'account' | 'link',
  ): ReportView {
    if (row.status === 'queued' || row.status === 'building')
      throw new ConflictError(`The ${LABEL[kind]} is still being built.`, {
        reportStatus: row.status,
        progress: row.progress,
      });
    if (row.status !== 'ready' || !row.content) throw new NotFoundError(`ready ${LABEL[kind]}`);
    const lang: Language = isLanguage(language) ? language : 'en';
    const source: ViewSource = { reportId: row.id, generation: row.generation, channel };
    return kind === 'learning'
      ? {
          kind,
          audience,
          language: lang,
          content: publishLearning(storedLearning(row), audience, channel),
          source,
        }
      : // A readiness report holds no group below a pilot, and its figures come from published reports.
        { kind, audience, language: lang, content: row.content as ReadinessReportContent, source };
  }

  /** The PDF's footer line. */
  private title(view: ReportView): string {
    const t = textsFor(view.language);
    return view.kind === 'learning'
      ? t('report:learning.pdfTitle', {
          pilot: view.content.pilot.name,
          quarter: formatQuarter(view.language, view.content.quarter.label),
        })
      : t('report:readiness.pdfTitle', { organization: view.content.organization.name });
  }

  private filename(view: ReportView): string {
    return view.kind === 'learning'
      ? `learning-report-${slug(view.content.pilot.name)}-${slug(view.content.quarter.label)}`
      : `readiness-report-${slug(view.content.organization.name)}-${view.content.builtAt.slice(0, 10)}`;
  }
}
