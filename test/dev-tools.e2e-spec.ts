import { startApi, TestApi } from './support/api';

/**
 * The development tools (`/dev/inbox`, `/dev/clock`) open only where NODE_ENV says development or test
 * outright: not in production, and not where NODE_ENV was forgotten.
 */
describe('development tools', () => {
  const apis: TestApi[] = [];
  afterAll(async () => {
    for (const api of apis) await api.close();
  });

  const api = async (env: Record<string, string>) => {
    const started = await startApi({ env });
    apis.push(started);
    return started;
  };

  it('are open with NODE_ENV=test (and development) when mail is captured', async () => {
    const { http } = await api({});
    await http.get('/dev/inbox').expect(200);
    await http.get('/dev/clock').expect(200);
  });

  it('are closed where NODE_ENV is not set, and in production', async () => {
    const forgotten = await api({ NODE_ENV: '' });
    const production = await api({ NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:2525' });
    for (const { http } of [forgotten, production]) {
      await http.get('/dev/inbox').expect(404);
      await http.get('/dev/clock').expect(404);
      await http.post('/dev/clock').send({ advance: 'P1D' }).expect(404);
    }
  });
});
