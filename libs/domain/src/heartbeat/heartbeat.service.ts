import { Injectable } from '@nestjs/common';
import type { Heartbeat } from '@luotsi/database';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/errors';
import { HeartbeatStore } from './heartbeat.store';

/** Proof of life for the queue path: the API records a beat, the worker consumes it. */
@Injectable()
export class HeartbeatService {
  constructor(
    private readonly store: HeartbeatStore,
    private readonly clock: Clock,
  ) {}

  /** Records the beat before it is enqueued, so the row is the truth and the job only executes it. */
  async register(key: string, workspaceId: string | null): Promise<Heartbeat> {
    await this.store.add(key, workspaceId, this.clock.now());
    return this.get(key, workspaceId);
  }

  async get(key: string, workspaceId: string | null): Promise<Heartbeat> {
    const row = await this.store.find(key, workspaceId);
    if (!row) throw new NotFoundError('heartbeat');
    return row;
  }

  /**
   * Consumes one beat: marks it started, holds for `holdMs` (so a drain can be observed), marks it
   * processed. A beat already processed is skipped, so a redelivered job does nothing twice.
   */
  async consume(key: string, holdMs: number, pid: number): Promise<'processed' | 'skipped'> {
    if (!(await this.store.start(key, this.clock.now(), pid))) return 'skipped';
    if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
    await this.store.finish(key, this.clock.now());
    return 'processed';
  }

  /** Scheduled beats older than a day are only noise. */
  prune(): Promise<void> {
    return this.store.prune(this.clock.now());
  }

  /** When a worker last processed a beat (the health check's sign of a live worker); null if never. */
  lastBeatAt(): Promise<Date | null> {
    return this.store.lastProcessedAt();
  }
}
