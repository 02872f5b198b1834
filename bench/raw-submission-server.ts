/**
 * The raw baseline of the submission path, as its own process: a bare node:http server that reads the
 * posted form and inserts the same response row with node-postgres (a pool as large as the API's).
 * No framework, no token lookup, no claim of the invitation, no validation.
 */
import { createServer } from 'node:http';
import { Pool } from 'pg';

export type RawSubmissionReply = { type: 'listening'; url: string };

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const pool = new Pool({ connectionString: env('DATABASE_URL'), max: Number(process.env.POOL_SIZE ?? 10) });
const workspaceId = env('WORKSPACE_ID');
const retrospectiveId = env('RETROSPECTIVE_ID');
const THANKS =
  '<!doctype html><html lang="en"><meta charset="utf-8"><title>Thank you</title><h1>Thank you</h1></html>';

const server = createServer((request, response) => {
  if (request.method !== 'POST') {
    response.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const answers: Record<string, string | number> = {};
    let locale = 'fi';
    for (const [key, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
      if (key === 'lang') locale = value;
      else answers[key] = /^\d+$/.test(value) ? Number(value) : value;
    }
    pool
      .query(
        `INSERT INTO retrospective_response (workspace_id, retrospective_id, participant_id, level, locale, answers, submitted_on)
         VALUES ($1, $2, NULL, 'staff', $3, $4::jsonb, current_date)`,
        [workspaceId, retrospectiveId, locale, JSON.stringify(answers)],
      )
      .then(
        () => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(THANKS),
        () => response.writeHead(500).end(),
      );
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.send?.({ type: 'listening', url: `http://127.0.0.1:${port}` } satisfies RawSubmissionReply);
});

process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
