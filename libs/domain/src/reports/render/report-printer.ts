import { existsSync } from 'node:fs';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Browser } from 'playwright-core';
import { AppConfig } from '@luotsi/config';
import { DomainError } from '../../common/errors';

/** No Chromium here (or no playwright-core): the API answers 501, naming what to set. */
export class PdfUnavailableError extends DomainError {
  constructor(readonly reason: string) {
    super('PDF export needs Chromium; set CHROMIUM_PATH.');
  }
}

/**
 * Prints report pages to PDF in headless Chromium. One browser is started on first use and kept; each
 * print gets its own context (so prints run side by side), with JavaScript off and every network
 * request refused: the page is self-contained and nothing in it should reach out.
 */
@Injectable()
export class ReportPrinter implements OnModuleDestroy {
  private readonly logger = new Logger(ReportPrinter.name);
  private browser: Promise<Browser> | null = null;

  constructor(private readonly config: AppConfig) {}

  get chromiumPath(): string {
    return this.config.reports.chromiumPath;
  }

  async print(html: string, footer: string): Promise<Buffer> {
    const browser = await this.launch();
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      await context.route('**/*', (route) =>
        route.request().url().startsWith('data:') ? route.continue() : route.abort(),
      );
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      await page.emulateMedia({ media: 'print' });
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        tagged: true,
        outline: true,
        preferCSSPageSize: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: `<div style="font:8px system-ui,sans-serif;color:#4a5560;width:100%;padding:0 14mm;display:flex;justify-content:space-between"><span>${escapeHtml(footer)}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`,
      });
    } finally {
      await context.close().catch(() => undefined);
    }
  }

  private launch(): Promise<Browser> {
    if (!this.browser) {
      const starting = this.start();
      this.browser = starting;
      // A failed start is not kept: Chromium may be installed later, or a crash was a one-off.
      starting.then(
        (browser) => browser.on('disconnected', () => (this.browser = null)),
        () => (this.browser = null),
      );
    }
    return this.browser;
  }

  private async start(): Promise<Browser> {
    const path = this.chromiumPath;
    if (!existsSync(path)) throw new PdfUnavailableError(`no Chromium at ${path}`);
    let chromium: typeof import('playwright-core').chromium;
    try {
      // Loaded on first use: images without PDF export need neither playwright-core nor Chromium.
      ({ chromium } = await import('playwright-core'));
    } catch {
      throw new PdfUnavailableError('playwright-core is not installed');
    }
    this.logger.log(`starting Chromium at ${path} for PDF export`);
    return chromium.launch({
      executablePath: path,
      // No sandbox: containers rarely allow one, and the browser only ever loads our own script-free pages.
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    });
  }

  async onModuleDestroy(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    if (browser) await (await browser.catch(() => null))?.close();
  }
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);
