import { Injectable, Logger } from '@nestjs/common';
import type { ReportKind } from '@luotsi/database';

export type ReportBuilder = (reportId: string, generation: number) => Promise<void>;
export type ReportBuiltListener = (kind: ReportKind, reportId: string) => Promise<void>;

/**
 * Where the kinds of report meet the queue: each report service registers how it builds (the worker's
 * `build-report` job calls `build`), and what should follow a finished build (e.g. mailing a share link)
 * listens with `onBuilt`. Registered at boot, so the queue and the mail know no report by name.
 */
@Injectable()
export class ReportBuilds {
  private readonly logger = new Logger(ReportBuilds.name);
  private readonly builders = new Map<ReportKind, ReportBuilder>();
  private readonly listeners: ReportBuiltListener[] = [];

  register(kind: ReportKind, builder: ReportBuilder): void {
    this.builders.set(kind, builder);
  }

  onBuilt(listener: ReportBuiltListener): void {
    this.listeners.push(listener);
  }

  async build(kind: ReportKind, reportId: string, generation: number): Promise<void> {
    const builder = this.builders.get(kind);
    if (!builder) throw new Error(`No builder registered for ${kind} reports`);
    await builder(reportId, generation);
  }

  /** Called by a builder once its report is stored as ready; a listener's failure is rethrown. */
  async built(kind: ReportKind, reportId: string): Promise<void> {
    for (const listener of this.listeners) await listener(kind, reportId);
    this.logger.log(`${kind} report ${reportId} built`);
  }
}
