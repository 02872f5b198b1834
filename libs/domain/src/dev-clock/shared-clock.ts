import { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../common/clock';
import type { DevClockStore } from './dev-clock.store';

/** How often each process reads the shared offset again (the worker's beat sees a move within this). */
export const SHARED_CLOCK_REFRESH_MS = 1000;

/**
 * Development and test only, never production: the system clock moved by an offset that the running API
 * and worker share through the database, so `POST /dev/clock` in the API moves the worker's clock too
 * and its next beat sends what is due on the new day. Each process keeps the offset in memory (`now()`
 * stays synchronous) and reads it again every second. The clock only moves forward.
 */
export class SharedClock extends Clock implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SharedClock.name);
  private offset = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly store: DevClockStore) {
    super();
  }

  now(): Date {
    return new Date(Date.now() + this.offset);
  }

  get offsetMs(): number {
    return this.offset;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), SHARED_CLOCK_REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Reads the shared offset; a failed read keeps the last one (the database may be restarting). */
  async refresh(): Promise<void> {
    try {
      // Never backwards within a process, even if the row was reset by hand.
      this.offset = Math.max(this.offset, await this.store.offsetMs());
    } catch (error) {
      this.logger.warn(`could not read the shared clock: ${(error as Error).message}`);
    }
  }

  /** Moves every process's clock to `instant`, which must not be before now. */
  async moveTo(instant: Date): Promise<void> {
    const offset = instant.getTime() - Date.now();
    await this.store.setOffsetMs(offset);
    this.offset = offset;
  }
}
