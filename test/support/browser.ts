import { existsSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { Browser, chromium, Page } from 'playwright-core';
import { ManualClock } from '@luotsi/domain';
import { startApi, TestApi } from './api';
import { freePort } from './processes';
import { startSmtpServer, TestSmtpServer } from './smtp';
import { startWorker, TestWorker } from './worker';

/** Debian's Chromium (installed by .ci/run); nothing is downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** axe-core's serious and critical findings on the page as it is now; participant pages must have none. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // A sandboxed frame without scripts (a mail preview) cannot be entered by axe, which would wait for
  // ever; the mail in it is the mail's own concern.
  const { violations, passes } = await new AxeBuilder({ page }).exclude('iframe[sandbox]').analyze();
  // axe really ran: a page like these passes dozens of its rules.
  expect(passes.length).toBeGreaterThan(10);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help}`);
}

export interface BrowserStack {
  smtp: TestSmtpServer;
  api: TestApi;
  worker: TestWorker;
  browser: Browser;
  /** Where the API listens, and what links in mail point at (PUBLIC_BASE_URL). */
  base: string;
  close(): Promise<void>;
}

/**
 * What a browser test needs: an SMTP server, the API listening on a real port that mail links name, a
 * worker on the same clock, and Chromium.
 */
export async function startBrowserStack(clock: ManualClock): Promise<BrowserStack> {
  // Chromium first: when it is missing or cannot start, nothing else is running yet to keep jest alive.
  const browser = await launchChromium();
  // Everything started so far, closed in reverse order when a later step throws.
  const started: (() => Promise<unknown>)[] = [() => browser.close()];
  const closeStarted = async () => {
    for (const close of started.splice(0).reverse()) await close().catch(() => undefined);
  };
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const smtp = await startSmtpServer();
    started.push(() => smtp.close());
    const env = { SMTP_URL: smtp.url, PUBLIC_BASE_URL: base };
    const api = await startApi({ clock, env });
    started.push(() => api.close());
    await api.app.listen(port, '127.0.0.1');
    const worker = await startWorker({ ...api.env, ...env }, clock);
    started.push(() => worker.close());
    return {
      smtp,
      api,
      worker,
      browser,
      base,
      close: async () => {
        await browser.close();
        await worker.close();
        await api.close();
        await smtp.close();
      },
    };
  } catch (error) {
    await closeStarted();
    throw error;
  }
}
