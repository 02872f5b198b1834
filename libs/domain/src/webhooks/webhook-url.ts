const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why a URL cannot receive webhooks, or null when it can. HTTPS only, since the payload names records
 * of the workspace; plain HTTP to the same machine is allowed outside production, for development.
 */
export function webhookUrlProblem(value: string, production: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol !== 'http:') return 'must be an https:// URL';
  if (production) return 'must be an https:// URL';
  if (!LOOPBACK.has(url.hostname)) return 'must be https:// (http:// only to localhost outside production)';
  return null;
}
