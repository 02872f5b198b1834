/* eslint-disable @typescript-eslint/no-explicit-any -- the demo reads the API's JSON loosely, as a script would */
/** The demo's HTTP client: it uses the API as a coach, a sponsor or a participant would. */
export class DemoClient {
  constructor(
    readonly baseUrl: string,
    private token?: string,
  ) {}

  as(token: string): DemoClient {
    return new DemoClient(this.baseUrl, token);
  }

  async json<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get = <T = any>(path: string) => this.json<T>('GET', path);
  post = <T = any>(path: string, body?: unknown) => this.json<T>('POST', path, body ?? {});
  put = <T = any>(path: string, body: unknown) => this.json<T>('PUT', path, body);

  async csv<T = any>(path: string, csv: string): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv; charset=utf-8', Authorization: `Bearer ${this.token}` },
      body: csv,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST ${path} → ${res.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }

  /** Posts a participant form the way a browser does (urlencoded); returns the status. */
  async form(path: string, values: Record<string, string>): Promise<number> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(values).toString(),
    });
    await res.arrayBuffer();
    return res.status;
  }
}
