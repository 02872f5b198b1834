import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { Heartbeat } from '@luotsi/database';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/errors';

/** Proof of life for the queue path: the API records a beat, the worker consumes it. */
@Injectable()
export class HeartbeatService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Records the beat before it is enqueued, so the row is the truth and the job only executes it. */
  async register(key: string, workspaceId: string | null): Promise<Heartbeat> {
    await this.dataSource.query(
      `INSERT INTO heartbeat (key, workspace_id, enqueued_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`,
      [key, workspaceId, this.clock.now()],
    );
    return this.get(key, workspaceId);
  }

  async get(key: string, workspaceId: string | null): Promise<Heartbeat> {
    const row = await this.dataSource
      .getRepository(Heartbeat)
      .findOneBy({ key, workspaceId: workspaceId ?? IsNull() });
    if (!row) throw new NotFoundError('heartbeat');
    return row;
  }

  /**
   * Consumes one beat: marks it started, holds for `holdMs` (so a drain can be observed), marks it
   * processed. A beat already processed is skipped, so a redelivered job does nothing twice.
   */
  async consume(key: string, holdMs: number, pid: number): Promise<'processed' | 'skipped'> {
    const started = await this.dataSource.query(
      `INSERT INTO heartbeat (key, enqueued_at, started_at, attempts, worker_pid) VALUES ($1, $2, $2, 1, $3)
       ON CONFLICT (key) DO UPDATE SET started_at = excluded.started_at, attempts = heartbeat.attempts + 1,
         worker_pid = excluded.worker_pid
       WHERE heartbeat.processed_at IS NULL
       RETURNING key`,
      [key, this.clock.now(), pid],
    );
    if (!started.length) return 'skipped';
    if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
    await this.dataSource.query(`UPDATE heartbeat SET processed_at = $2 WHERE key = $1`, [
      key,
      this.clock.now(),
    ]);
    return 'processed';
  }

  /** Scheduled beats older than a day are only noise. */
  async prune(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM heartbeat WHERE workspace_id IS NULL AND processed_at < $1::timestamptz - interval '1 day'`,
      [this.clock.now()],
    );
  }
}
