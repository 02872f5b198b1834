import { Injectable } from '@nestjs/common';
import { Locale, LOCALES, ReportKind, ShareAudience } from '@luotsi/database';
import { ConflictError, NotFoundError } from '../../common/errors';
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
  body: string | Buffer;
  /** A file name for downloads (ASCII). */
  filename: string;
}

/** A built report narrowed to the audience that will read it. */
export type ReportView =
  | { kind: 'learning'; audience: ShareAudience; locale: Locale; content: LearningReportContent }
  | { kind: 'readiness'; audience: ShareAudience; locale: Locale; content: ReadinessReportContent };

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

  /** For a signed-in member, within the workspace (and a sponsor's grants); sponsors get their view. */
  async forMember(kind: ReportKind, reportId: string): Promise<ReportView> {
    const audience: ShareAudience = this.tenancy.actor.role === 'sponsor' ? 'sponsor' : 'coach';
    const row: StoredReport = await this.store.getReport(kind, reportId);
    const organization = await this.organizations.get(row.organizationId);
    return this.view(kind, row, audience, organization.defaultLocale, 'account');
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
  }): Promise<ReportView> {
    const row = await this.store.reportForShare(share.reportKind, share.workspaceId, share.reportId);
    if (!row) throw new NotFoundError(LABEL[share.reportKind]);
    return this.view(share.reportKind, row, share.audience, row.locale, 'link');
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
          body: JSON.stringify(view.content),
          filename: `${filename}.json`,
        };
      case 'csv':
        return {
          contentType: 'text/csv; charset=utf-8; header=present',
          body:
            view.kind === 'learning'
              ? learningCsv(view.content, view.audience)
              : readinessCsv(view.content, view.audience),
          filename: `${filename}.csv`,
        };
      case 'html':
        return {
          contentType: 'text/html; charset=utf-8',
          body: await this.html(view, options),
          filename: `${filename}.html`,
        };
      case 'pdf': {
        // The PDF is the page itself, printed: the same view, the same privacy.
        const html = await this.html(view, { noindex: options.noindex });
        return {
          contentType: 'application/pdf',
          body: await this.printer.print(html, this.title(view)),
          filename: `${filename}.pdf`,
        };
      }
    }
  }

  html(
    view: ReportView,
    options: { downloads?: { pdf: string; csv: string }; noindex?: boolean } = {},
  ): Promise<string> {
    const html = { audience: view.audience, locale: view.locale, ...options };
    return view.kind === 'learning'
      ? renderLearningHtml(view.content, html)
      : renderReadinessHtml(view.content, html);
  }

  /** The report's masthead and sections without the page around them, to embed in the console. */
  frame(view: ReportView): Promise<PageFrame> {
    const html = { audience: view.audience, locale: view.locale };
    return view.kind === 'learning' ? learningFrame(view.content, html) : readinessFrame(view.content, html);
  }

  private view(
    kind: ReportKind,
    row: StoredReport,
    audience: ShareAudience,
    locale: string,
    channel: 'account' | 'link',
  ): ReportView {
    if (row.status === 'queued' || row.status === 'building')
      throw new ConflictError(`The ${LABEL[kind]} is still being built.`, {
        reportStatus: row.status,
        progress: row.progress,
      });
    if (row.status !== 'ready' || !row.content) throw new NotFoundError(`ready ${LABEL[kind]}`);
    const lang = (LOCALES as readonly string[]).includes(locale) ? (locale as Locale) : 'en';
    return kind === 'learning'
      ? {
          kind,
          audience,
          locale: lang,
          content: publishLearning(storedLearning(row), audience, channel),
        }
      : // A readiness report holds no group below a pilot, and its figures come from published reports.
        { kind, audience, locale: lang, content: row.content as ReadinessReportContent };
  }

  private title(view: ReportView): string {
    return view.kind === 'learning'
      ? `Learning report · ${view.content.pilot.name} · ${view.content.quarter.label}`
      : `Readiness report · ${view.content.organization.name}`;
  }

  private filename(view: ReportView): string {
    return view.kind === 'learning'
      ? `learning-report-${slug(view.content.pilot.name)}-${slug(view.content.quarter.label)}`
      : `readiness-report-${slug(view.content.organization.name)}-${view.content.builtAt.slice(0, 10)}`;
  }
}
