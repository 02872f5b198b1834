import { Injectable } from '@nestjs/common';
import { OnBeat } from '../common/reactions';
import { JobProducer } from '@luotsi/queue';
import { ReportsStore } from './reports.store';

/**
 * Report rows are the truth, as outbox rows are: a report still `queued` or `building` long after it
 * was last touched, whose build job Redis no longer holds to run (lost with Redis, or ended without
 * settling the row), gets a new generation and so a new job. A build that failed for good stays failed.
 */
@Injectable()
export class ReportReconciler {
  constructor(
    private readonly store: ReportsStore,
    private readonly producer: JobProducer,
  ) {}

  @OnBeat('reportsRequeued')
  async requeueStale(olderThanMs: number): Promise<number> {
    return this.store.requeueStaleBuilds(this.producer, olderThanMs);
  }
}
