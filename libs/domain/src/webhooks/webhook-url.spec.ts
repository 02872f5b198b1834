import { randomBytes } from 'node:crypto';
import { openWebhookSecret, sealWebhookSecret } from './webhook-secret-box';
import { webhookUrlProblem } from './webhook-url';
import { signWebhook, verifyWebhookSignature } from './webhook-signature';

describe('webhookUrlProblem', () => {
  it('accepts https anywhere and http to localhost outside production only', () => {
    expect(webhookUrlProblem('https://hooks.example.fi/luotsi', true)).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:8080/hook', false)).toBeNull();
    expect(webhookUrlProblem('http://localhost/hook', false)).toBeNull();
    expect(webhookUrlProblem('http://[::1]:9000/', false)).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:8080/hook', true)).toMatch(/https/);
    expect(webhookUrlProblem('http://hooks.example.fi/', false)).toMatch(/https/);
    expect(webhookUrlProblem('http://localhost.example.fi/', false)).toMatch(/https/);
    expect(webhookUrlProblem('ftp://example.fi/', false)).toMatch(/https/);
    expect(webhookUrlProblem('not a url', false)).toMatch(/absolute/);
  });
});

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"event":"report.ready","data":{"name":"Ääkköset ✓"}}';
  const now = 1_800_000_000_000;
  const t = now / 1000;

  it('verifies what it signed, and nothing altered', () => {
    const header = signWebhook(secret, body, t);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, body, header, { now })).toBe(true);
    expect(verifyWebhookSignature(secret, body + ' ', header, { now })).toBe(false);
    expect(verifyWebhookSignature('whsec_other', body, header, { now })).toBe(false);
    expect(verifyWebhookSignature(secret, body, header.replace(/v1=../, 'v1=00'), { now })).toBe(false);
    expect(verifyWebhookSignature(secret, body, undefined, { now })).toBe(false);
  });

  it('refuses an old timestamp and accepts one of several v1 values', () => {
    const old = signWebhook(secret, body, t - 301);
    expect(verifyWebhookSignature(secret, body, old, { now })).toBe(false);
    const rotated = `${signWebhook(secret, body, t)},v1=${'ab'.repeat(32)}`;
    expect(verifyWebhookSignature(secret, body, rotated, { now })).toBe(true);
  });
});

describe('webhook secrets at rest', () => {
  const key = randomBytes(32);

  it('seals with a fresh IV each time and opens only with the same key, unaltered', () => {
    const sealed = sealWebhookSecret('whsec_abc', key);
    expect(sealed).toMatch(/^enc1:[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('whsec_abc');
    expect(sealWebhookSecret('whsec_abc', key)).not.toBe(sealed);
    expect(openWebhookSecret(sealed, key)).toBe('whsec_abc');
    expect(() => openWebhookSecret(sealed, randomBytes(32))).toThrow();
    const [iv, tag, data] = sealed.slice(5).split('.');
    expect(() => openWebhookSecret(`enc1:${iv}.${tag.slice(0, 8)}.${data}`, key)).toThrow();
    expect(() => openWebhookSecret(`enc1:${iv}.${tag}.${data.slice(1)}`, key)).toThrow();
    expect(() => openWebhookSecret('whsec_abc', key)).toThrow(/not encrypted/);
  });
});
