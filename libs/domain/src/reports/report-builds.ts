import { Injectable, Logger } from '@nestjs/common';
import type { ReportKind } from '@luotsi/database';
import { Reactions } from '../common/reactions';

/**
 * Where the kinds of report meet the queue: the worker's `build-report` job calls `build`, which runs
 * the kind's `@BuildsReport` method; a builder calls `built` once its report is stored as ready, which
 * announces `report.built` (webhooks, the report mail). So the queue and the mail know no report by name.
 */
@Injectable()
export class ReportBuilds {
  private readonly logger = new Logger(ReportBuilds.name);

  constructor(private readonly reactions: Reactions) {}

  async build(kind: ReportKind, reportId: string, generation: number): Promise<void> {
    await this.reactions.reportBuilder(kind)(reportId, generation);
  }

  /** Called by a builder once its report is stored as ready; a handler's failure is rethrown. */
  async built(kind: ReportKind, reportId: string): Promise<void> {
    await this.reactions.emit('report.built', kind, reportId);
    this.logger.log(`${kind} report ${reportId} built`);
  }
}
