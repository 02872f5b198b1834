import { testEnvironment, TestEnv } from './support/api';
import { TestDatabase } from './support/database';
import { freePort, killAll, spawnApp, waitFor } from './support/processes';

describe('API shutdown', () => {
  let env: TestEnv;
  let database: TestDatabase;

  beforeAll(async () => {
    ({ env, database } = await testEnvironment());
  });
  afterAll(async () => {
    killAll();
    await database.drop();
  });

  it('closes once and exits 0 on SIGTERM and SIGINT at once', async () => {
    const port = await freePort();
    const api = spawnApp('api', { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    const health = () =>
      fetch(`http://127.0.0.1:${port}/health`).then(
        (res) => res.status,
        () => 0,
      );
    await waitFor(
      async () => (await health()) === 200,
      60_000,
      () => api.output().slice(-2000),
    );

    // A supervisor's SIGTERM and a terminal's SIGINT at once (the kernel hands them over in either
    // order): the first closes the app, the second finds it closing.
    api.child.kill('SIGTERM');
    api.child.kill('SIGINT');
    expect(await api.exited).toEqual({ code: 0, signal: null });
    const lines = api.output();
    expect(lines.match(/"(SIGTERM|SIGINT): closing"/g)).toHaveLength(1);
    expect(lines.match(/"(SIGTERM|SIGINT): already closing"/g)).toHaveLength(1);
    expect(lines).toMatch(/stopped cleanly/);
    expect(await health()).toBe(0);
  });
});
