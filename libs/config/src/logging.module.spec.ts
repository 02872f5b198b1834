import { redactUrl } from './logging.module';

describe('redactUrl', () => {
  it('keeps the route of a participant link, never its token', () => {
    expect(redactUrl('/r/r_abcDEF123-_x')).toBe('/r/[token]');
    expect(redactUrl('/s/s_secret.pdf?lang=fi')).toBe('/s/[token]?lang');
    expect(redactUrl('/app/invitations/i_secret')).toBe('/app/invitations/[token]');
  });

  it('keeps the names of query parameters, never their values', () => {
    expect(redactUrl('/api/v1/participants?search=matti.virtanen%40example.fi&limit=20')).toBe(
      '/api/v1/participants?search&limit',
    );
    expect(redactUrl('/api/v1/x?token=abc&access_token=def#frag')).toBe('/api/v1/x?token&access_token');
    expect(redactUrl('/api/v1/organizations')).toBe('/api/v1/organizations');
    expect(redactUrl(undefined)).toBe('');
  });
});
