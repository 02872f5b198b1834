/**
 * The PDF renderer: a child process of the API (started by `ReportPrinter`, over IPC), so Chromium's
 * memory, crashes and hangs stay out of the process that answers requests. It holds one headless
 * Chromium and prints each page it is sent in a context of its own, with JavaScript off and every
 * network request refused; the API decides how many prints run at once. It imports nothing of Luotsi,
 * and exits when the API goes (the IPC channel closes) or when Chromium dies, to be started afresh.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** From the API: a page to print. */
export interface PrintRequest {
  type: 'print';
  id: number;
  html: string;
  footer: string;
}

/**
 * To the API: a print's outcome, and once whether Chromium runs in its sandbox. With each outcome, the
 * most Chromium pages this renderer has had open at once (its own count, not the API's).
 */
export type RendererMessage =
  | { type: 'printed'; id: number; pdf: Uint8Array; mostPages: number }
  | { type: 'failed'; id: number; message: string; unavailable?: string; mostPages: number }
  | { type: 'sandbox'; sandboxed: boolean; reason?: string };

export type SandboxMode = 'auto' | 'on' | 'off';

const FLAGS = ['--headless', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-sync'];

class Unavailable extends Error {}

let browser: Promise<Browser> | null = null;

/** Chromium pages open now, and the most ever open at once in this process. */
const pages = { open: 0, most: 0 };

const send = (message: RendererMessage) => process.send?.(message);

async function launch(path: string, mode: SandboxMode): Promise<Browser> {
  if (!existsSync(path)) throw new Unavailable(`no Chromium at ${path}`);
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new Unavailable('playwright-core is not installed');
  }
  const start = (sandboxed: boolean) =>
    chromium.launch({ executablePath: path, chromiumSandbox: sandboxed, args: FLAGS });
  let started: Browser;
  if (mode === 'off') {
    started = await start(false);
    send({ type: 'sandbox', sandboxed: false, reason: 'PDF_SANDBOX=off' });
  } else {
    try {
      started = await start(true);
      send({ type: 'sandbox', sandboxed: true });
    } catch (error) {
      // As root, or where user namespaces are off (many containers), Chromium cannot sandbox itself.
      if (mode === 'on') throw new Unavailable(`Chromium cannot start in its sandbox here (PDF_SANDBOX=on)`);
      started = await start(false);
      send({ type: 'sandbox', sandboxed: false, reason: firstLine(error) });
    }
  }
  // A Chromium that dies takes this process with it: the API starts a fresh one.
  started.on('disconnected', () => process.exit(3));
  return started;
}

const firstLine = (error: unknown) => String((error as Error)?.message ?? error).split('\n')[0];

async function print(request: PrintRequest, path: string, mode: SandboxMode): Promise<Uint8Array> {
  if (!browser) {
    browser = launch(path, mode);
    // A failed start is not kept: Chromium may be installed later.
    browser.catch(() => (browser = null));
  }
  const context = await (await browser).newContext({ javaScriptEnabled: false });
  pages.most = Math.max(pages.most, ++pages.open);
  try {
    await context.route('**/*', (route) =>
      route.request().url().startsWith('data:') ? route.continue() : route.abort(),
    );
    const page = await context.newPage();
    await page.setContent(request.html, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      tagged: true,
      outline: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: `<div style="font:8px system-ui,sans-serif;color:#4a5560;width:100%;padding:0 14mm;display:flex;justify-content:space-between"><span>${escapeHtml(request.footer)}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`,
    });
  } finally {
    await context.close().catch(() => undefined);
    pages.open--;
  }
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);

/** Runs the renderer: the API passes Chromium's path and the sandbox mode as arguments. */
export function runRenderer(path: string, mode: SandboxMode): void {
  process.on('message', (message: PrintRequest) => {
    if (message?.type !== 'print') return;
    print(message, path, mode).then(
      (pdf) => send({ type: 'printed', id: message.id, pdf, mostPages: pages.most }),
      (error: unknown) =>
        send({
          type: 'failed',
          id: message.id,
          message: firstLine(error),
          unavailable: error instanceof Unavailable ? error.message : undefined,
          mostPages: pages.most,
        }),
    );
  });
  // The API is gone (or let go of us): close Chromium and leave.
  process.on('disconnect', () => {
    const closing = browser ? browser.then((b) => b.close()).catch(() => undefined) : Promise.resolve();
    void closing.finally(() => process.exit(0));
  });
}

if (require.main === module) runRenderer(process.argv[2], (process.argv[3] as SandboxMode) ?? 'auto');
