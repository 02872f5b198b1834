import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ReportKind } from '@luotsi/database';
import { JobName, JobProducer } from '@luotsi/queue';
import { returned } from '../common/sql';

const TABLES: Record<ReportKind, string> = { learning: 'learning_report', readiness: 'readiness_report' };
const BATCH = 500;

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
    for (const kind of Object.keys(TABLES) as ReportKind[]) {
      const table = TABLES[kind];
      const rows: { id: string; generation: number }[] = await this.dataSource.query(
        `SELECT id, generation FROM ${table}
         WHERE status IN ('queued', 'building') AND updated_at < now() - make_interval(secs => $1::float / 1000)
         ORDER BY updated_at LIMIT ${BATCH}`,
        [olderThanMs],
      );
      const payload = (row: { id: string; generation: number }) => ({
        kind,
        reportId: row.id,
        generation: row.generation,
      });
      const pending = await this.producer.pending(JobName.BuildReport, rows.map(payload));
      const lost = rows.filter((_, i) => !pending[i]);
      if (!lost.length) continue;
      const renewed = returned<{ id: string; generation: number }>(
        await this.dataSource.query(
          `UPDATE ${table} t SET generation = t.generation + 1, status = 'queued', progress = 0, updated_at = now()
           FROM unnest($1::uuid[], $2::int[]) AS lost(id, generation)
           WHERE t.id = lost.id AND t.generation = lost.generation AND t.status IN ('queued', 'building')
           RETURNING t.id, t.generation`,
          [lost.map((row) => row.id), lost.map((row) => row.generation)],
        ),
      );
      await this.producer.enqueueMany(JobName.BuildReport, renewed.map(payload));
      total += renewed.length;
    }
    return total;
  }
}
