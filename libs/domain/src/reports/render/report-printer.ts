import { ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@luotsi/config';
import { DomainError } from '../../common/errors';
import type { PrintRequest, RendererMessage } from './pdf-renderer.process';

/** No Chromium here (or no playwright-core): the API answers 501, naming what to set. */
export class PdfUnavailableError extends DomainError {
  constructor(readonly reason: string) {
    super('PDF export needs Chromium; set CHROMIUM_PATH.');
  }
}

/**
 * Every page busy and the queue full, or the renderer lost the print (it died or took too long): the
 * API answers 503 with `Retry-After`, and the reader tries again.
 */
export class PdfBusyError extends DomainError {
  constructor(
    message = 'PDFs are being printed for others; try again shortly.',
    readonly retryAfterSeconds = 10,
  ) {
    super(message);
  }
}

interface Job {
  html: string;
  footer: string;
  resolve(pdf: Buffer): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

/** What the printer has done, for /metrics and for tests. */
export interface PrinterCounters {
  /** Prints sent to the renderer and finished. */
  printed: number;
  /** Requests refused at once because the pages and the queue were full. */
  refused: number;
  /** Prints lost with a renderer that died or was stopped for taking too long. */
  lost: number;
  /** Renderer processes started. */
  started: number;
  /** Prints at once now, and the most ever at once; `waiting` counts those admitted and not printing yet. */
  active: number;
  mostActive: number;
  /**
   * The most Chromium pages any renderer reported open at once, by its own count (each context holds
   * one page): what the pool's bound looks like from Chromium's side.
   */
  rendererMostPages: number;
  waiting: number;
}

/**
 * Prints report pages to PDF in a renderer process of its own (`pdf-renderer.process.ts`), started on
 * first use and started again whenever it dies. At most `PDF_PAGES` prints run at once; up to
 * `PDF_QUEUE` more wait their turn in order; past that a print is refused at once (`PdfBusyError`), so a
 * flood of requests never piles up work. A print that takes longer than `PDF_TIMEOUT_MS` is given up and
 * the renderer stopped, as a hung Chromium would hold its pages for ever.
 */
@Injectable()
export class ReportPrinter implements OnModuleDestroy {
  private readonly logger = new Logger(ReportPrinter.name);
  private renderer: ChildProcess | null = null;
  private readonly running = new Map<number, Job>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  /** Prints admitted whose page is still being made (`print` with a function). */
  private preparing = 0;
  private closed = false;
  private readonly counts = {
    printed: 0,
    refused: 0,
    lost: 0,
    started: 0,
    mostActive: 0,
    rendererMostPages: 0,
  };

  constructor(private readonly config: AppConfig) {}

  get chromiumPath(): string {
    return this.config.reports.chromiumPath;
  }

  /** The renderer's process id while one runs. */
  get rendererPid(): number | undefined {
    return this.renderer?.pid;
  }

  get counters(): PrinterCounters {
    return { ...this.counts, active: this.running.size, waiting: this.queue.length + this.preparing };
  }

  /**
   * Prints the page `html` gives. Whether there is room (a page or a place in the queue) is decided
   * first, and a refusal costs nothing: with a function, the page is only made once the print is
   * admitted, so a flood of requests beyond the pool never renders a report it cannot print.
   */
  async print(html: string | (() => Promise<string>), footer: string): Promise<Buffer> {
    // Checked here too, so a missing Chromium is a clear 501 without a process started for nothing.
    if (!existsSync(this.chromiumPath)) throw new PdfUnavailableError(`no Chromium at ${this.chromiumPath}`);
    const { pages, queue } = this.config.reports.pdf;
    if (this.running.size + this.queue.length + this.preparing >= pages + queue) {
      this.counts.refused++;
      throw new PdfBusyError();
    }
    let page: string;
    if (typeof html === 'string') page = html;
    else {
      // Admitted: the place is held while the page is made.
      this.preparing++;
      try {
        page = await html();
      } finally {
        this.preparing--;
      }
    }
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ html: page, footer, resolve, reject });
      this.pump();
    });
  }

  /** Sends waiting prints to the renderer while pages are free. */
  private pump(): void {
    while (!this.closed && this.queue.length && this.running.size < this.config.reports.pdf.pages) {
      const job = this.queue.shift()!;
      const id = this.nextId++;
      let renderer: ChildProcess;
      try {
        renderer = this.ensureRenderer();
      } catch (error) {
        job.reject(new PdfUnavailableError(`the PDF renderer cannot start: ${(error as Error).message}`));
        continue;
      }
      this.running.set(id, job);
      this.counts.mostActive = Math.max(this.counts.mostActive, this.running.size);
      job.timer = setTimeout(() => {
        this.logger.warn(`a PDF took over ${this.config.reports.pdf.timeoutMs} ms; restarting the renderer`);
        renderer.kill('SIGKILL');
      }, this.config.reports.pdf.timeoutMs);
      const request: PrintRequest = { type: 'print', id, html: job.html, footer: job.footer };
      renderer.send(request);
    }
  }

  private settle(id: number): Job | undefined {
    const job = this.running.get(id);
    if (!job) return undefined;
    this.running.delete(id);
    clearTimeout(job.timer);
    return job;
  }

  private ensureRenderer(): ChildProcess {
    if (this.renderer) return this.renderer;
    const entry = join(__dirname, `pdf-renderer.process${extname(__filename)}`);
    // From source (tests, `npm run demo`) the renderer is TypeScript too: compile it as the API was.
    const execArgv = extname(__filename) === '.ts' ? ['-r', registerHook()] : [];
    const renderer = fork(entry, [this.chromiumPath, this.config.reports.pdf.sandbox], {
      execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.counts.started++;
    this.renderer = renderer;
    renderer.on('message', (message: RendererMessage) => this.onMessage(message));
    renderer.on('error', (error) => this.logger.error(`PDF renderer: ${error.message}`));
    renderer.on('exit', (code, signal) => {
      if (this.renderer === renderer) this.renderer = null;
      const lost = [...this.running.keys()];
      if (!this.closed) this.logger.warn(`PDF renderer exited (${signal ?? code}); ${lost.length} print(s) lost`);
      for (const id of lost) {
        this.counts.lost++;
        this.settle(id)?.reject(new PdfBusyError('The PDF could not be printed just now; try again.', 5));
      }
      // Waiting prints get a fresh renderer.
      this.pump();
    });
    return renderer;
  }

  private onMessage(message: RendererMessage): void {
    if (message.type !== 'sandbox')
      this.counts.rendererMostPages = Math.max(this.counts.rendererMostPages, message.mostPages);
    switch (message.type) {
      case 'sandbox':
        if (message.sandboxed) this.logger.log('PDF renderer: Chromium runs in its sandbox');
        else this.logger.warn(`PDF renderer: Chromium runs without its sandbox (${message.reason})`);
        return;
      case 'printed': {
        const job = this.settle(message.id);
        this.counts.printed++;
        job?.resolve(Buffer.from(message.pdf.buffer, message.pdf.byteOffset, message.pdf.byteLength));
        break;
      }
      case 'failed': {
        const job = this.settle(message.id);
        job?.reject(
          message.unavailable
            ? new PdfUnavailableError(message.unavailable)
            : new Error(`PDF print failed: ${message.message}`),
        );
        break;
      }
    }
    this.pump();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new PdfBusyError('The server is stopping.'));
    const renderer = this.renderer;
    if (!renderer || renderer.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => renderer.once('exit', () => resolve()));
    // Letting go of the channel makes the renderer close Chromium and leave; a kill if it lingers.
    renderer.disconnect();
    const timer = setTimeout(() => renderer.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

/** The swc require hook that runs TypeScript from source (`scripts/register-swc.js`), found upwards. */
function registerHook(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const hook = join(dir, 'scripts', 'register-swc.js');
    if (existsSync(hook)) return hook;
  }
  throw new PdfUnavailableError('scripts/register-swc.js not found to run the renderer from source');
}
