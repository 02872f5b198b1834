import type { AddressInfo } from 'node:net';
import { startApi, TestApi } from './support/api';
import { PASSWORD, signUp, unique, Workspace } from './support/fixtures';

/**
 * Sign-in defences against a real API on the real Redis: a flood for one account from one address ends
 * in 429s with Retry-After, the account waits out its backoff whatever the address, other addresses
 * still sign in, and participant pages keep answering while the password work is saturated.
 */
const BACKOFF_MS = 2000;
const ATTEMPTS_PER_IP = 40;

describe('sign-in limits', () => {
  let api: TestApi;
  let base: string;
  let victim: Workspace;
  let bystander: Workspace;

  beforeAll(async () => {
    api = await startApi({
      env: {
        SIGN_IN_BACKOFF_BASE_MS: String(BACKOFF_MS),
        SIGN_IN_BACKOFF_MAX_MS: String(BACKOFF_MS),
        SIGN_IN_ATTEMPTS_PER_IP: String(ATTEMPTS_PER_IP),
        PARTICIPANT_PAGE_RATE_PER_MINUTE: '100000',
      },
    });
    const server = api.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    victim = await signUp(api.http);
    bystander = await signUp(api.http);
  });
  afterAll(() => api.close());

  const login = (email: string, password: string, from: string) =>
    fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      body: JSON.stringify({ email, password }),
    }).then(async (res) => ({
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: (await res.json()) as { detail?: string; accessToken?: string },
    }));

  /** Milliseconds to a participant page (an unknown link: the same lookup and page as a real one). */
  const pageLatency = async (): Promise<number> => {
    const started = performance.now();
    const res = await fetch(`${base}/r/${unique('unknown-link-')}`);
    await res.text();
    expect(res.status).toBe(404);
    return performance.now() - started;
  };
  const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.99) - 1];

  /** Sends `count` requests, `concurrency` at a time, keeping the answers in the order they were sent. */
  async function pool<T>(count: number, concurrency: number, send: (i: number) => Promise<T>): Promise<T[]> {
    const results: T[] = new Array(count);
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          const i = next++;
          results[i] = await send(i);
        }
      }),
    );
    return results;
  }

  it('refuses a flood with 429 and Retry-After while participant pages keep answering', async () => {
    for (let i = 0; i < 10; i++) await pageLatency(); // warm-up: first requests compile and connect
    const before: number[] = [];
    for (let i = 0; i < 50; i++) before.push(await pageLatency());

    let flooding = true;
    const during: number[] = [];
    const probe = (async () => {
      while (flooding) during.push(await pageLatency());
    })();
    // One address, one account, wrong passwords; beside it, unknown emails from many addresses, which
    // pass every per-address and per-account limit and so fill the password queue.
    const [flood, spray] = await Promise.all([
      pool(500, 10, () => login(victim.email, 'wrong password!', '203.0.113.1')),
      pool(200, 20, (i) =>
        login(`${unique('nobody-')}@example.fi`, 'wrong password!', `198.51.100.${i % 250}`),
      ),
    ]).finally(() => (flooding = false));
    await probe;

    for (const answer of [...flood, ...spray]) {
      expect([401, 429]).toContain(answer.status);
      if (answer.status === 429) expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
      if (answer.status === 401) expect(answer.body.detail).toBe('Wrong email or password.');
    }
    // Only the first attempts reach the password check; past the address's limit every answer is 429.
    expect(flood.filter((a) => a.status !== 429).length).toBeLessThanOrEqual(ATTEMPTS_PER_IP);
    expect(flood.slice(ATTEMPTS_PER_IP + 10).every((a) => a.status === 429)).toBe(true);
    // The bounded queue turned some of the spray away at once instead of letting it pile up.
    expect(spray.some((a) => a.status === 429 && a.retryAfter === '1')).toBe(true);

    const figures = { beforeP99: p99(before), duringP99: p99(during), duringMax: Math.max(...during) };
    process.stdout.write(
      `participant page latency (ms), ${before.length} before / ${during.length} during the flood: ` +
        `${JSON.stringify(figures, (_, v: unknown) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}\n`,
    );
    expect(during.length).toBeGreaterThan(5);
    expect(figures.duringP99).toBeLessThan(1000);
    // Not stalled: within 10× the quiet p99 (taken as at least 50 ms, as other work shares the machine).
    expect(figures.duringP99).toBeLessThan(10 * Math.max(figures.beforeP99, 50));
  }, 120_000);

  it('keeps the flooding address out, even with the right password', async () => {
    const answer = await login(victim.email, PASSWORD, '203.0.113.1');
    expect(answer.status).toBe(429);
    expect(Number(answer.retryAfter)).toBeGreaterThan(60);
  });

  it('lets another address sign in to another account', async () => {
    const answer = await login(bystander.email, PASSWORD, '192.0.2.7');
    expect(answer.status).toBe(200);
    expect(answer.body.accessToken).toEqual(expect.any(String));
  });

  it('locks the account for every address until its backoff ends, then takes the right password', async () => {
    // The account already has its free failures: one more from a fresh address locks it again.
    expect((await login(victim.email, 'still wrong!', '192.0.2.10')).status).toBe(401);
    const refused = await login(victim.email, PASSWORD, '192.0.2.11');
    expect(refused.status).toBe(429);
    expect(refused.body.detail).toBe('Too many attempts; try again later.');
    const wait = Number(refused.retryAfter);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(BACKOFF_MS / 1000);
    expect((await login(victim.email, PASSWORD, '192.0.2.12')).status).toBe(429);

    await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 200));
    const accepted = await login(victim.email, PASSWORD, '192.0.2.11');
    expect(accepted.status).toBe(200);
    // A success clears the failures: one wrong password afterwards is just a 401 again.
    expect((await login(victim.email, 'wrong again!', '192.0.2.11')).status).toBe(401);
    expect((await login(victim.email, PASSWORD, '192.0.2.11')).status).toBe(200);
  });

  it('answers an unknown email as it answers a wrong password', async () => {
    const unknown = await login(`${unique('nobody-')}@example.fi`, PASSWORD, '192.0.2.20');
    const wrong = await login(bystander.email, 'not the password', '192.0.2.20');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('limits sign-ups per address, and answers a taken email as it answers a new one', async () => {
    const answer = await api.http
      .post('/api/v1/workspaces')
      .set('x-forwarded-for', '192.0.2.30')
      .send({ workspaceName: 'Taken', email: victim.email, name: 'X', password: PASSWORD });
    const fresh = await api.http
      .post('/api/v1/workspaces')
      .set('x-forwarded-for', '192.0.2.30')
      .send({ workspaceName: 'Fresh', email: `${unique('o-')}@example.fi`, name: 'X', password: PASSWORD });
    expect(answer.status).toBe(202);
    expect({ status: fresh.status, body: fresh.body }).toEqual({ status: answer.status, body: answer.body });
    const results = await pool(35, 5, () =>
      api.http
        .post('/api/v1/workspaces')
        .set('x-forwarded-for', '192.0.2.31')
        .send({ workspaceName: 'W', email: `${unique('o-')}@example.fi`, name: 'X', password: PASSWORD })
        .then((res) => ({ status: res.status, retryAfter: res.headers['retry-after'] })),
    );
    expect(results.filter((r) => r.status === 202)).toHaveLength(30);
    expect(results.filter((r) => r.status === 429).every((r) => Number(r.retryAfter) > 0)).toBe(true);
    expect(results.filter((r) => r.status === 429)).toHaveLength(5);
  }, 60_000);
});
