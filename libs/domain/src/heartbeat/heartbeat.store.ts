import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { Heartbeat } from '@luotsi/database';

/**
 * The heartbeat table: the only code that reads or writes it. A beat belongs to the workspace whose owner
 * asked for it, or to none (the worker's own scheduled beats); every method that reads a beat for
 * someone names that workspace. The worker reaches a beat by its key, as its job carries it.
 */
@Injectable()
export class HeartbeatStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Adds the beat unless its key exists already. */
  async add(key: string, workspaceId: string | null, at: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO heartbeat (key, workspace_id, enqueued_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`,
      [key, workspaceId, at],
    );
  }

  find(key: string, workspaceId: string | null): Promise<Heartbeat | null> {
    return this.dataSource.getRepository(Heartbeat).findOneBy({ key, workspaceId: workspaceId ?? IsNull() });
  }

  /** Marks the beat started (adding it if the job came first); false when it was processed already. */
  async start(key: string, at: Date, pid: number): Promise<boolean> {
    const started: { key: string }[] = await this.dataSource.query(
      `INSERT INTO heartbeat (key, enqueued_at, started_at, attempts, worker_pid) VALUES ($1, $2, $2, 1, $3)
       ON CONFLICT (key) DO UPDATE SET started_at = excluded.started_at, attempts = heartbeat.attempts + 1,
         worker_pid = excluded.worker_pid
       WHERE heartbeat.processed_at IS NULL
       RETURNING key`,
      [key, at, pid],
    );
    return started.length > 0;
  }

  async finish(key: string, at: Date): Promise<void> {
    await this.dataSource.query(`UPDATE heartbeat SET processed_at = $2 WHERE key = $1`, [key, at]);
  }

  /** Removes the worker's own beats processed more than a day before `now`. */
  async prune(now: Date): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM heartbeat WHERE workspace_id IS NULL AND processed_at < $1::timestamptz - interval '1 day'`,
      [now],
    );
  }

  /** When any worker last processed a beat, of any workspace or its own; null if never. */
  async lastProcessedAt(): Promise<Date | null> {
    const [row]: { lastBeatAt: Date | null }[] = await this.dataSource.query(
      `SELECT max(processed_at) AS "lastBeatAt" FROM heartbeat`,
    );
    return row?.lastBeatAt ?? null;
  }
}
