/** Refused at once because the password work queue is full; the API answers 429 with Retry-After. */
export class PasswordWorkBusyError extends Error {
  override name = 'PasswordWorkBusyError';
  readonly retryAfterSeconds = 1;
  constructor() {
    super('Too many sign-ins at once; try again in a moment.');
  }
}

/**
 * Bounds the argon2 work of one process: a few hashes at a time (each takes 64 MiB and a libuv thread,
 * which file and DNS work share) and a short wait list. A flood is refused at once instead of queueing
 * without end, so the rest of the API keeps answering.
 */
export class HashQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private concurrency: number,
    private maxWaiting: number,
  ) {}

  configure(concurrency: number, maxWaiting: number): void {
    this.concurrency = concurrency;
    this.maxWaiting = maxWaiting;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) throw new PasswordWorkBusyError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, so `running` stays counted for it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
