import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from './app-config';
import { ConfigError, envSchema, parseEnv } from './config.schema';

describe('parseEnv', () => {
  it('fills defaults for an empty environment', () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/.*127\.0\.0\.1:5432/);
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(env.UNCONFIRMED_IMPORT_LIMIT).toBe(50);
    expect(new AppConfig(env).sendQuota.unconfirmedImportLimit).toBe(50);
  });

  it('treats an empty value as unset', () => {
    expect(parseEnv({ PORT: '' }).PORT).toBe(3000);
  });

  it('names every wrong variable', () => {
    let error: unknown;
    try {
      parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(variables).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    expect((error as ConfigError).message).toContain('DATABASE_URL: must be a postgres:// URL');
  });

  it('takes an OPERATOR_TOKEN of 16 or more characters, and leaves it unset by default', () => {
    expect(parseEnv({}).OPERATOR_TOKEN).toBeUndefined();
    expect(parseEnv({ OPERATOR_TOKEN: 'x'.repeat(16) }).OPERATOR_TOKEN).toBe('x'.repeat(16));
    expect(() => parseEnv({ OPERATOR_TOKEN: 'short' })).toThrow('OPERATOR_TOKEN: at least 16 characters');
  });
});

describe('webhook egress settings', () => {
  const production = { NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example.fi' };
  const key = Buffer.alloc(32, 7).toString('base64');

  it('keeps private targets off by default and refuses them, or a missing key, in production', () => {
    expect(parseEnv({}).WEBHOOK_ALLOW_PRIVATE_TARGETS).toBe(false);
    expect(parseEnv({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }).WEBHOOK_ALLOW_PRIVATE_TARGETS).toBe(true);
    expect(parseEnv({ ...production, WEBHOOK_SECRET_KEY: key }).WEBHOOK_ALLOW_PRIVATE_TARGETS).toBe(false);
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        parseEnv(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems.map((p) => p.variable);
      }
    };
    expect(
      problems({ ...production, WEBHOOK_SECRET_KEY: key, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }),
    ).toEqual(['WEBHOOK_ALLOW_PRIVATE_TARGETS']);
    expect(problems(production)).toEqual(['WEBHOOK_SECRET_KEY']);
    expect(problems({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'yes' })).toEqual(['WEBHOOK_ALLOW_PRIVATE_TARGETS']);
    expect(problems({ WEBHOOK_SECRET_KEY: 'too-short' })).toEqual(['WEBHOOK_SECRET_KEY']);
  });
});

describe('.env.example', () => {
  it('lists every variable of the schema', () => {
    const text = readFileSync(join(__dirname, '../../../.env.example'), 'utf8');
    const listed = new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(Object.keys(envSchema.shape).filter((name) => !listed.has(name))).toEqual([]);
  });

  it('reads TRUST_PROXY as Express takes it, loopback by default', () => {
    expect(parseEnv({}).TRUST_PROXY).toEqual(['loopback']);
    expect(parseEnv({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(parseEnv({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: ' 10.0.0.0/8, loopback,fd00::1 ' }).TRUST_PROXY).toEqual([
      '10.0.0.0/8',
      'loopback',
      'fd00::1',
    ]);
  });

  it.each([
    ['true', 'true would trust every hop'],
    ['11', 'at most 10 hops'],
    ['10.0.0.0/40', '"10.0.0.0/40" is not an address'],
    ['loopback, proxy.example', '"proxy.example" is not an address'],
    [' , ', 'a hop count'],
  ])('refuses TRUST_PROXY=%j, saying why', (value, reason) => {
    let error: unknown;
    try {
      parseEnv({ TRUST_PROXY: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problem = (error as ConfigError).problems.find((p) => p.variable === 'TRUST_PROXY');
    expect(problem?.reason).toEqual(expect.stringContaining(reason));
  });

  it('opens the development tools only where NODE_ENV says development or test outright', () => {
    expect(AppConfig.fromEnvironment({}).devTools).toBe(false);
    expect(AppConfig.fromEnvironment({ NODE_ENV: '' }).devTools).toBe(false);
    expect(AppConfig.fromEnvironment({ NODE_ENV: 'development' }).devTools).toBe(true);
    expect(AppConfig.fromEnvironment({ NODE_ENV: 'test' }).devTools).toBe(true);
    expect(
      AppConfig.fromEnvironment({
        NODE_ENV: 'production',
        SMTP_URL: 'smtp://mail.example:587',
        WEBHOOK_SECRET_KEY: Buffer.alloc(32).toString('base64'),
      }).devTools,
    ).toBe(false);
  });
});
