import type { LookupAddress } from 'node:dns';
import { createServer as createHttpServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { openWebhookSecret, verifyWebhookSignature, WebhookResolver, WebhookService } from '@luotsi/domain';
import { AppConfig } from '@luotsi/config';
import { WebhookEgress1796800000000 } from '../migrations/1796800000000-WebhookEgress';
import { startApi, TestApi } from './support/api';
import { bearer, signUp, Workspace } from './support/fixtures';
import { waitFor } from './support/processes';
import { startWorker, TestWorker } from './support/worker';

/**
 * Webhooks with the default egress policy (WEBHOOK_ALLOW_PRIVATE_TARGETS off): targets on loopback, by
 * address or by name, are refused when saved and again at each attempt, and never connected to. Names
 * ending in `.test` are answered by a stubbed resolver, so no test sends anything beyond loopback; the
 * public address they "resolve" to at save time is never dialled.
 */

/** A TCP listener on loopback that only counts connections: whatever reaches it is a failure here. */
async function startTrap(host: string) {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => sockets.length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Connects to a trap once and waits until it has counted the connection. */
async function knock(host: string, trap: Awaited<ReturnType<typeof startTrap>>) {
  const before = trap.connections();
  await new Promise<void>((resolve, reject) => {
    const socket = connect(trap.port, host, () => socket.end());
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  await waitFor(
    async () => trap.connections() === before + 1,
    5000,
    () => `${host} trap saw nothing`,
  );
}

const PUBLIC: LookupAddress = { address: '93.184.216.34', family: 4 };
const LOOPBACK_V4: LookupAddress = { address: '127.0.0.1', family: 4 };
const LOOPBACK_V6: LookupAddress = { address: '::1', family: 6 };

describe('webhook egress', () => {
  let api: TestApi;
  let worker: TestWorker;
  let owner: Workspace;
  let v4: Awaited<ReturnType<typeof startTrap>>;
  let v6: Awaited<ReturnType<typeof startTrap>>;
  const env = {
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false',
    WEBHOOK_RETRY_BASE_MS: '20',
    WEBHOOK_RETRY_ATTEMPTS: '3',
    WEBHOOK_TIMEOUT_MS: '2000',
  };

  /** What the stubbed resolvers answer: the API's at save time, the worker's at send time. */
  const atSave: Record<string, LookupAddress[]> = {
    'hooks.loopback.test': [LOOPBACK_V4],
    'hooks.mixed.test': [PUBLIC, LOOPBACK_V4],
    'hooks.rebind.test': [PUBLIC],
  };
  const atSend: Record<string, LookupAddress[]> = {
    'hooks.rebind.test': [LOOPBACK_V4, LOOPBACK_V6],
  };
  const lookedUpAtSend: string[] = [];

  const post = (url: string) =>
    api.http
      .post('/api/v1/webhooks')
      .set(bearer(owner.token))
      .send({ url, events: ['readiness.decided'] });

  beforeAll(async () => {
    v4 = await startTrap('127.0.0.1');
    v6 = await startTrap('::1');
    api = await startApi({ env });
    worker = await startWorker({ ...api.env, ...env });
    const stub = (resolver: WebhookResolver, answers: Record<string, LookupAddress[]>, seen?: string[]) => {
      const real = resolver.resolve.bind(resolver);
      jest.spyOn(resolver, 'resolve').mockImplementation(async (hostname) => {
        seen?.push(hostname);
        return answers[hostname] ?? real(hostname);
      });
    };
    stub(api.app.get(WebhookResolver), atSave);
    stub(worker.app.get(WebhookResolver), atSend, lookedUpAtSend);
    owner = await signUp(api.http, 'Egress Workspace');
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await v4.close();
    await v6.close();
  });

  it('refuses loopback targets when saved: 422 naming url, by address, IPv6, mapped form and name', async () => {
    const urls = [
      `http://127.0.0.1:${v4.port}/hook`,
      `https://127.0.0.1:${v4.port}/hook`,
      `https://127.1.2.3:${v4.port}/hook`,
      `http://[::1]:${v6.port}/hook`,
      `https://[::ffff:127.0.0.1]:${v4.port}/hook`,
      `https://0.0.0.0:${v4.port}/hook`,
      `http://localhost:${v4.port}/hook`,
      `https://hooks.loopback.test:${v4.port}/hook`,
      // One loopback answer among public ones refuses the name.
      `https://hooks.mixed.test:${v4.port}/hook`,
    ];
    for (const url of urls) {
      const res = await post(url).expect(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect({ url, errors: res.body.errors }).toEqual({
        url,
        errors: [{ field: 'url', reason: expect.stringMatching(/must reach a public address/) }],
      });
    }
    const listed = await api.http.get('/api/v1/webhooks').set(bearer(owner.token)).expect(200);
    expect(listed.body.total).toBe(0);
    expect(v4.connections() + v6.connections()).toBe(0);
  });

  it('refuses at each attempt a target that turned loopback after it was saved, and never connects', async () => {
    // Saved while its name resolved to a public address (or before the check existed, or with the
    // switch on): the worker judges the address again at the moment it would connect.
    const rebind = await post(`https://hooks.rebind.test:${v4.port}/hook`).expect(201);
    const saved = [rebind.body.id as string];
    for (const url of [
      `http://127.0.0.1:${v4.port}/hook`,
      `http://[::1]:${v6.port}/hook`,
      `http://localhost:${v4.port}/hook`,
      `http://[::ffff:7f00:1]:${v4.port}/hook`,
    ]) {
      const created = await post(`https://hooks.rebind.test/${saved.length}`).expect(201);
      await api.db.query(`UPDATE webhook_endpoint SET url = $2 WHERE id = $1`, [created.body.id, url]);
      saved.push(created.body.id);
    }

    expect(await api.app.get(WebhookService).emit(owner.id, 'readiness.decided', 'egress-1', {})).toBe(5);
    const deliveries = async (id: string) =>
      (await api.http.get(`/api/v1/webhooks/${id}/deliveries`).set(bearer(owner.token)).expect(200)).body
        .items;
    await waitFor(
      async () => {
        for (const id of saved) if ((await deliveries(id))[0]?.status !== 'failed') return false;
        return true;
      },
      20_000,
      () => 'refused deliveries did not fail',
    );
    for (const id of saved) {
      const [delivery] = await deliveries(id);
      // Refused for good on the first attempt: retrying would only knock again.
      expect(delivery).toMatchObject({
        status: 'failed',
        attempts: 1,
        responseStatus: null,
        responseMs: null,
        lastError: expect.stringMatching(
          /^target refused: .*(loopback|is loopback).*; webhooks go to public addresses only$/,
        ),
      });
    }
    expect(lookedUpAtSend).toContain('hooks.rebind.test');
    expect(lookedUpAtSend).toContain('localhost');
    expect(v4.connections() + v6.connections()).toBe(0);
  });

  it('stores the secret encrypted, readable only with the configured key', async () => {
    const created = await post('https://hooks.rebind.test/sealed').expect(201);
    const [row] = await api.db.query(`SELECT secret FROM webhook_endpoint WHERE id = $1`, [created.body.id]);
    expect(row.secret).toMatch(/^enc1:/);
    expect(row.secret).not.toContain(created.body.secret);
    const key = AppConfig.fromEnvironment(api.env).webhooks.secretKey;
    expect(openWebhookSecret(row.secret, key)).toBe(created.body.secret);
    expect(() => openWebhookSecret(row.secret, Buffer.alloc(32))).toThrow();
  });

  it('migrates stored secrets to encrypted ones and strips bodies from recorded errors', async () => {
    const [endpoint] = await api.db.query(`SELECT id FROM webhook_endpoint ORDER BY created_at LIMIT 1`);
    const [delivery] = await api.db.query(`SELECT id FROM webhook_delivery LIMIT 1`);
    const migration = new WebhookEgress1796800000000();
    const runner = api.db.createQueryRunner();
    const key = process.env.WEBHOOK_SECRET_KEY;
    try {
      await migration.down(runner);
      // As the rows stood before: a plain secret, and a receiver's words after the status.
      await runner.query(`UPDATE webhook_endpoint SET secret = 'whsec_legacy' WHERE id = $1`, [endpoint.id]);
      await runner.query(
        `UPDATE webhook_delivery SET last_error = 'gave up after 3 attempts: HTTP 500: <html>internal admin</html>' WHERE id = $1`,
        [delivery.id],
      );
      process.env.WEBHOOK_SECRET_KEY = api.env.WEBHOOK_SECRET_KEY;
      await migration.up(runner);
    } finally {
      process.env.WEBHOOK_SECRET_KEY = key;
      await runner.release();
    }
    const [row] = await api.db.query(`SELECT secret FROM webhook_endpoint WHERE id = $1`, [endpoint.id]);
    const secretKey = AppConfig.fromEnvironment(api.env).webhooks.secretKey;
    expect(row.secret).toMatch(/^enc1:/);
    expect(openWebhookSecret(row.secret, secretKey)).toBe('whsec_legacy');
    const [after] = await api.db.query(`SELECT last_error FROM webhook_delivery WHERE id = $1`, [
      delivery.id,
    ]);
    expect(after.last_error).toBe('gave up after 3 attempts: HTTP 500');
  });

  it('has traps that would have seen a connection', async () => {
    // Without this, the zero counts above could come from listeners that hear nothing.
    await knock('127.0.0.1', v4);
    await knock('::1', v6);
  });
});

/** A loopback receiver that answers each path with a fixed status (and a Location for 3xx). */
async function startReceiver(answer: (path: string) => { status: number; location?: string }) {
  const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const { status, location } = answer(path);
      response.writeHead(status, location ? { Location: location } : {});
      response.end('a body no one should keep');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    to: (path: string) => received.filter((r) => r.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('webhook egress with WEBHOOK_ALLOW_PRIVATE_TARGETS (tests and development only)', () => {
  let api: TestApi;
  let worker: TestWorker;
  let owner: Workspace;
  let trap: Awaited<ReturnType<typeof startTrap>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const env = {
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_RETRY_BASE_MS: '20',
    WEBHOOK_RETRY_ATTEMPTS: '2',
    WEBHOOK_TIMEOUT_MS: '2000',
  };

  const register = async (path: string) =>
    (
      await api.http
        .post('/api/v1/webhooks')
        .set(bearer(owner.token))
        .send({ url: receiver.url(path), events: ['readiness.decided'] })
        .expect(201)
    ).body as { id: string; secret: string };
  const settledDeliveries = async (id: string, count: number) => {
    let items: { status: string }[] = [];
    await waitFor(
      async () => {
        items = (await api.http.get(`/api/v1/webhooks/${id}/deliveries`).set(bearer(owner.token)).expect(200))
          .body.items;
        return items.length === count && items.every((d) => d.status !== 'pending');
      },
      20_000,
      () => JSON.stringify(items),
    );
    return items;
  };
  const emit = (key: string) =>
    api.app.get(WebhookService).emit(owner.id, 'readiness.decided', key, { decision: 'go' });

  beforeAll(async () => {
    trap = await startTrap('127.0.0.1');
    receiver = await startReceiver((path) =>
      path === '/moved' ? { status: 307, location: `http://127.0.0.1:${trap.port}/hook` } : { status: 204 },
    );
    api = await startApi({ env });
    worker = await startWorker({ ...api.env, ...env });
    owner = await signUp(api.http, 'Rotation Workspace');
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await receiver.close();
    await trap.close();
  });

  it('never follows a redirect: a 307 to loopback is recorded as the 307, its target never connected to', async () => {
    // With the switch on even loopback is allowed, so this shows redirects are not followed at all:
    // with it off (the default) the redirecting receiver could not be reached in the first place.
    const moved = await register('/moved');
    expect(await emit('moved-1')).toBe(1);
    const [delivery] = await settledDeliveries(moved.id, 1);
    expect(delivery).toMatchObject({
      status: 'failed',
      attempts: 2,
      responseStatus: 307,
      lastError: expect.stringMatching(/^gave up after 2 attempts: HTTP 307 after \d+ ms$/),
    });
    expect(JSON.stringify(delivery)).not.toContain('body');
    expect(receiver.to('/moved')).toHaveLength(2);
    expect(trap.connections()).toBe(0);
    await knock('127.0.0.1', trap); // the trap does hear a connection
    await api.http.delete(`/api/v1/webhooks/${moved.id}`).set(bearer(owner.token)).expect(204);
  });

  it('rotates a secret: both signatures during the overlap, the new one alone after', async () => {
    const endpoint = await register('/rotating');
    const rotate = (body: object) =>
      api.http.post(`/api/v1/webhooks/${endpoint.id}/rotate-secret`).set(bearer(owner.token)).send(body);
    for (const overlapHours of [-1, 169, 1.5, 'soon']) {
      const { errors } = (await rotate({ overlapHours }).expect(422)).body;
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((e: { field: string }) => e.field === 'overlapHours')).toBe(true);
    }

    const rotated = (await rotate({ overlapHours: 2 }).expect(200)).body;
    expect(rotated.secret).toMatch(/^whsec_[\w-]{43}$/);
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(new Date(rotated.previousSecretExpiresAt).getTime() - Date.now()).toBeGreaterThan(7_100_000);
    const listed = await api.http.get('/api/v1/webhooks').set(bearer(owner.token)).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');

    await emit('rotating-1');
    await settledDeliveries(endpoint.id, 1);
    const [during] = receiver.to('/rotating');
    const header = String(during.headers['luotsi-signature']);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(rotated.secret, during.body, header)).toBe(true);
    expect(verifyWebhookSignature(endpoint.secret, during.body, header)).toBe(true);

    // Rotating again with no overlap: only the newest secret signs.
    const latest = (await rotate({ overlapHours: 0 }).expect(200)).body;
    expect(latest.previousSecretExpiresAt).toBeNull();
    await emit('rotating-2');
    await settledDeliveries(endpoint.id, 2);
    const after = receiver.to('/rotating')[1];
    const single = String(after.headers['luotsi-signature']);
    expect(single).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(latest.secret, after.body, single)).toBe(true);
    expect(verifyWebhookSignature(rotated.secret, after.body, single)).toBe(false);
    expect(verifyWebhookSignature(endpoint.secret, after.body, single)).toBe(false);

    const other = await signUp(api.http, 'Other Workspace');
    await api.http
      .post(`/api/v1/webhooks/${endpoint.id}/rotate-secret`)
      .set(bearer(other.token))
      .send({})
      .expect(404);
  });
});
