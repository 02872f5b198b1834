import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ReportKind } from '@luotsi/database';
import { JobName, JobProducer } from '@luotsi/queue';
import { reconcileWaiting, WaitingRow, WaitingRows } from '../common/job-reconciler';

/** A report queued or building waits on its build job; a build queued anew starts from nothing. */
const building = (kind: ReportKind, table: string): WaitingRows<JobName.BuildReport, WaitingRow> => ({
  table,
  waiting: `t.status IN ('queued', 'building')`,
  reset: `status = 'queued', progress = 0`,
  job: JobName.BuildReport,
  payload: (row) => ({ kind, reportId: row.id, generation: row.generation }),
});

const BUILDS = [building('learning', 'learning_report'), building('readiness', 'readiness_report')];

/**
 * Report rows are the truth, as outbox rows are: a report still `queued` or `building` long after it
 * was last touched, whose build job Redis no longer holds to run (lost with Redis, or ended without
 * settling the row), gets a new generation and so a new job. A build that failed for good stays failed.
 */
@Injectable()
export class ReportReconciler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: JobProducer,
  ) {}

  async requeueStale(olderThanMs: number): Promise<number> {
    let total = 0;
    for (const builds of BUILDS)
      total += await reconcileWaiting(this.dataSource, this.producer, builds, olderThanMs);
    return total;
  }
}
