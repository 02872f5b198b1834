import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Response as SuperResponse } from 'superagent';
import { ReportFormats, ReportPrinter } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import {
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  signUp,
  Workspace,
} from './support/fixtures';
import { searchableText } from './support/pdf-text';
import { waitFor } from './support/processes';
import { unique } from './support/fixtures';
import { learningContent } from './support/report-content';

const PAGES = 2;
const QUEUE = 2;
const RATE = 6;

/** supertest reads these as raw bytes, so the PDF stays as sent. */
const binary = (res: SuperResponse, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * PDFs printed in a renderer process of the API's own, at most PDF_PAGES at once with PDF_QUEUE waiting,
 * kept per report generation, behind a tighter per-address limit. Real Postgres, Redis and Chromium; the
 * PDFs are read back with pdftotext. Each test asks from addresses of its own (X-Forwarded-For, trusted
 * from loopback) so the `.pdf` limit of one does not spill into another.
 */
describe('PDF export, safely', () => {
  let api: TestApi;
  let printer: ReportPrinter;
  let owner: Workspace;
  let reportId: string;
  let sharePath: string;

  const pdf = (path: string, address: string, token?: string) => {
    const req = api.http.get(path).set('X-Forwarded-For', address).buffer(true).parse(binary);
    return token ? req.set(bearer(token)) : req;
  };

  /** The renderer process stopped (SIGKILL) and gone. */
  async function killRenderer(): Promise<number> {
    const pid = printer.rendererPid!;
    expect(pid).toBeDefined();
    process.kill(pid, 'SIGKILL');
    await waitFor(
      () => !alive(pid) && printer.rendererPid !== pid,
      10_000,
      () => `renderer ${pid} still there`,
    );
    return pid;
  }

  beforeAll(async () => {
    api = await startApi({
      env: { PDF_PAGES: String(PAGES), PDF_QUEUE: String(QUEUE), PDF_RATE_PER_MINUTE: String(RATE) },
    });
    printer = api.app.get(ReportPrinter);
    owner = await signUp(api.http);
    const organization = await createOrganization(api.http, owner.token, { defaultLocale: 'fi' });
    const rolloutId = (await createRollout(api.http, owner.token, organization.id)).id;
    const pilotId = (await createPilot(api.http, owner.token, rolloutId, { name: 'Hallituspilotti' })).id;
    const quarters = await api.http
      .get(`/api/v1/pilots/${pilotId}/quarters`)
      .set(bearer(owner.token))
      .expect(200);
    const quarterId = quarters.body[0].id as string;
    const { builtAt: _builtAt, ...content } = learningContent({
      organizationId: organization.id,
      rolloutId,
      pilotId,
      quarterId,
    });
    const [row] = await api.db.query(
      `INSERT INTO learning_report (workspace_id, organization_id, pilot_id, quarter_id, status, progress, content, requested_at, built_at)
       VALUES ($1, $2, $3, $4, 'ready', 100, $5, now(), now()) RETURNING id`,
      [owner.id, organization.id, pilotId, quarterId, content],
    );
    reportId = row.id;
    const share = await api.http
      .post(`/api/v1/learning-reports/${reportId}/shares`)
      .set(bearer(owner.token))
      .send({ audience: 'coach' })
      .expect(201);
    sharePath = new URL(share.body.url).pathname;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('prints a generation once: the second request is served from what was kept, even with the renderer gone', async () => {
    const before = printer.counters.printed;
    const first = await pdf(`${sharePath}.pdf`, '192.0.2.1')
      .expect(200)
      .expect('Content-Type', 'application/pdf');
    expect(searchableText(first.body)).toContain('Hallituspilotti');
    expect(printer.counters.printed).toBe(before + 1);
    // The renderer is a process of its own, not the API.
    expect(printer.rendererPid).toBeDefined();
    expect(printer.rendererPid).not.toBe(process.pid);

    const second = await pdf(`${sharePath}.pdf`, '192.0.2.1').expect(200);
    expect(Buffer.compare(second.body, first.body)).toBe(0);
    expect(printer.counters.printed).toBe(before + 1);

    // With the renderer killed, the kept PDF is still served, and no renderer is started for it.
    await killRenderer();
    const started = printer.counters.started;
    const third = await pdf(`${sharePath}.pdf`, '192.0.2.1').expect(200);
    expect(Buffer.compare(third.body, first.body)).toBe(0);
    expect(printer.counters.started).toBe(started);
    expect(printer.rendererPid).toBeUndefined();
    const kept = await api.db.query(
      `SELECT generation, language, audience, channel FROM report_pdf WHERE report_id = $1`,
      [reportId],
    );
    expect(kept).toEqual([{ generation: 1, language: 'fi', audience: 'coach', channel: 'link' }]);
  });

  it('refuses what is beyond the pages and the queue with 503 and Retry-After, and serves the rest', async () => {
    // Nothing kept for Swedish yet, and a cold renderer: every request below needs a print.
    expect(printer.rendererPid).toBeUndefined();
    const count = 14;
    const answers = await Promise.all(
      Array.from({ length: count }, (_, i) => pdf(`${sharePath}.pdf?lang=sv`, `198.51.100.${i + 1}`)),
    );
    const ok = answers.filter((a) => a.status === 200);
    const busy = answers.filter((a) => a.status === 503);
    expect(ok.length + busy.length).toBe(count);
    expect(ok.length).toBeGreaterThanOrEqual(PAGES + QUEUE);
    expect(busy.length).toBeGreaterThan(0);
    for (const answer of busy) {
      expect(answer.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(answer.headers['content-type']).toMatch(/^text\/html/);
    }
    for (const answer of ok) expect(searchableText(answer.body)).toContain('Hallituspilotti');
    // Never more than the pool's pages printing at once: as the API counts, and as the renderer does.
    expect(printer.counters.mostActive).toBeLessThanOrEqual(PAGES);
    expect(printer.counters.rendererMostPages).toBeGreaterThanOrEqual(1);
    expect(printer.counters.rendererMostPages).toBeLessThanOrEqual(PAGES);
    expect(printer.counters.refused).toBeGreaterThanOrEqual(busy.length);

    // The API route answers problem+json with Retry-After too, once the printer is full again.
    await killRenderer();
    const flood = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        pdf(`/api/v1/learning-reports/${reportId}.pdf?lang=en`, `198.51.100.${100 + i}`, owner.token),
      ),
    );
    const refused = flood.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0].headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(JSON.parse(refused[0].body.toString('utf8'))).toMatchObject({ status: 503 });
    expect(flood.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(PAGES + QUEUE);
  });

  it('prints a new generation afresh and lets the old one go', async () => {
    const before = printer.counters.printed;
    const { builtAt: _builtAt, ...content } = learningContent({}, { pilot: 'Johtoryhmäpilotti' });
    await api.db.query(
      `UPDATE learning_report SET generation = generation + 1, content = $2, built_at = now() WHERE id = $1`,
      [reportId, content],
    );
    const fresh = await pdf(`${sharePath}.pdf`, '192.0.2.20').expect(200);
    const text = searchableText(fresh.body);
    expect(text).toContain('Johtoryhmäpilotti');
    expect(text).not.toContain('Hallituspilotti');
    expect(printer.counters.printed).toBe(before + 1);
    const kept = await api.db.query(`SELECT DISTINCT generation FROM report_pdf WHERE report_id = $1`, [
      reportId,
    ]);
    expect(kept).toEqual([{ generation: 2 }]);
  });

  it('answers 429 with Retry-After past the .pdf limit, while pages from that address still open', async () => {
    const address = '192.0.2.30';
    for (let i = 0; i < RATE; i++) await pdf(`${sharePath}.pdf`, address).expect(200);
    const limited = await pdf(`${sharePath}.pdf`, address).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Only the PDF is limited so tightly: the page itself still opens from the same address.
    await pdf(sharePath, address).expect(200);
    // The API's PDF route counts the same way.
    const member = '192.0.2.31';
    for (let i = 0; i < RATE; i++)
      await pdf(`/api/v1/learning-reports/${reportId}.pdf`, member, owner.token).expect(200);
    const refused = await pdf(`/api/v1/learning-reports/${reportId}.pdf`, member, owner.token).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await pdf(`/api/v1/learning-reports/${reportId}.csv`, member, owner.token).expect(200);
  });

  it('starts the renderer again when it is killed mid-print, and the next request succeeds', async () => {
    if (printer.rendererPid) await killRenderer();
    const started = printer.counters.started;
    // Nothing kept for English through the link: this needs a print, on a renderer that starts cold.
    const pending = pdf(`${sharePath}.pdf?lang=en`, '192.0.2.40').then((r) => r);
    await waitFor(() => printer.counters.active === 1 && printer.rendererPid !== undefined, 10_000);
    const killed = await killRenderer();
    const lost = await pending;
    expect(lost.status).toBe(503);
    expect(lost.headers['retry-after']).toMatch(/^[1-9]\d*$/);

    const next = await pdf(`${sharePath}.pdf?lang=en`, '192.0.2.41').expect(200);
    expect(searchableText(next.body)).toContain('Johtoryhmäpilotti');
    expect(printer.rendererPid).toBeDefined();
    expect(printer.rendererPid).not.toBe(killed);
    expect(printer.counters.started).toBe(started + 2);
  });

  it('takes 50 requests at once through a share link: at most the pool prints, the rest 503 or kept, participant pages answer', async () => {
    const FLOOD = 50;
    const pilot = 'Viisikymmenpilotti';
    const { builtAt: _builtAt, ...content } = learningContent({}, { pilot });
    await api.db.query(
      `UPDATE learning_report SET generation = generation + 1, content = $2, built_at = now() WHERE id = $1`,
      [reportId, content],
    );
    const counted = () => ({
      printed: printer.counters.printed,
      refused: printer.counters.refused,
      kept: api.app.get(ReportFormats).pdfCounts.kept,
    });

    /** Milliseconds to a participant page (an unknown link: the same lookup and page as a real one). */
    const pageLatency = async (): Promise<number> => {
      const started = performance.now();
      await api.http.get(`/r/${unique('unknown-link-')}`).expect(404);
      return performance.now() - started;
    };
    for (let i = 0; i < 5; i++) await pageLatency();
    const before: number[] = [];
    for (let i = 0; i < 20; i++) before.push(await pageLatency());

    /** 50 requests at once, each from an address of its own (the `.pdf` limit is per address). */
    const flood = async (subnet: number) => {
      // The API runs in this process: how long its event loop was held up at most.
      const eld = monitorEventLoopDelay({ resolution: 10 });
      eld.enable();
      let flooding = true;
      const during: { ms: number; whilePrinting: boolean }[] = [];
      const probe = (async () => {
        while (flooding) {
          const whilePrinting = printer.counters.active > 0;
          during.push({ ms: await pageLatency(), whilePrinting });
        }
      })();
      const answers = await Promise.all(
        Array.from({ length: FLOOD }, (_, i) => pdf(`${sharePath}.pdf`, `10.${subnet}.0.${i + 1}`)),
      ).finally(() => (flooding = false));
      await probe;
      eld.disable();
      return { answers, during, loopDelayMs: eld.max / 1e6 };
    };

    // Cold: nothing kept for this generation. The pool prints, the queue waits, the rest is refused.
    const start = counted();
    const pagesMade = jest.spyOn(api.app.get(ReportFormats), 'html');
    const cold = await flood(1);
    const made = pagesMade.mock.calls.length;
    pagesMade.mockRestore();
    const ok = cold.answers.filter((a) => a.status === 200);
    const busy = cold.answers.filter((a) => a.status === 503);
    expect(ok.length + busy.length).toBe(FLOOD);
    expect(ok.length).toBeGreaterThanOrEqual(PAGES + QUEUE);
    expect(busy.length).toBeGreaterThan(0);
    for (const answer of busy) expect(answer.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    for (const answer of ok) {
      expect(answer.headers['content-type']).toBe('application/pdf');
      expect(searchableText(answer.body)).toContain(pilot);
    }
    const afterCold = counted();
    // Every 200 was printed or served from what was kept; every 503 was a refusal of the full pool.
    expect(afterCold.printed - start.printed + (afterCold.kept - start.kept)).toBe(ok.length);
    expect(afterCold.refused - start.refused).toBe(busy.length);
    // A refusal cost nothing: the report page was made only for what was printed.
    expect(made).toBe(afterCold.printed - start.printed);
    // Chromium never had more pages open than the pool has, by the renderer's own count.
    expect(printer.counters.rendererMostPages).toBeLessThanOrEqual(PAGES);
    expect(printer.counters.mostActive).toBeLessThanOrEqual(PAGES);

    // Warm: the same 50 again, from other addresses, all served from what was kept; nothing printed.
    const warm = await flood(2);
    expect(warm.answers.map((a) => a.status)).toEqual(Array.from({ length: FLOOD }, () => 200));
    const afterWarm = counted();
    expect(afterWarm.printed).toBe(afterCold.printed);
    expect(afterWarm.kept - afterCold.kept).toBe(FLOOD);

    // The API kept answering participant pages while Chromium printed.
    const during = [...cold.during, ...warm.during];
    const whilePrinting = cold.during.filter((d) => d.whilePrinting);
    expect(whilePrinting.length).toBeGreaterThan(0);
    const p99 = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil(values.length * 0.99) - 1)];
    const round = (ms: number) => Math.round(ms * 10) / 10;
    process.stdout.write(
      `50 concurrent PDFs through a share link: cold ${ok.length} × 200 (${afterCold.printed - start.printed} printed, ` +
        `${afterCold.kept - start.kept} kept), ${busy.length} × 503; warm ${FLOOD} × 200 kept; ` +
        `renderer's most pages open ${printer.counters.rendererMostPages} (pool ${PAGES}); ` +
        `participant page ms: before p99 ${round(p99(before))}, during p99 ${round(p99(during.map((d) => d.ms)))}, ` +
        `max ${round(Math.max(...during.map((d) => d.ms)))} (${during.length} requests, ${whilePrinting.length} while printing); ` +
        `event loop held up at most ${round(cold.loopDelayMs)} ms cold, ${round(warm.loopDelayMs)} ms warm\n`,
    );
  }, 120_000);
});
