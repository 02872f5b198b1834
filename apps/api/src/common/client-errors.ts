import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { problem } from './problem.filter';

/** Node's limit on a request's line and headers together (its default), which a query string counts toward. */
const HEADER_LIMIT_KB = 16;

/**
 * The first query parameter named in what Node read of an oversized request line, e.g. `search` of
 * `GET /api/v1/participants?search=xxxx…`; `query` when the line has a query but no name can be read,
 * `headers` when the request line itself was short (an oversized header, then).
 */
export function oversizedField(rawPacket: Buffer | undefined): string {
  const line = (rawPacket ?? Buffer.alloc(0)).subarray(0, 4096).toString('latin1').split('\r\n')[0];
  const target = /^[A-Z]+ (\S+)/.exec(line)?.[1] ?? '';
  const query = target.includes('?') ? target.slice(target.indexOf('?') + 1) : '';
  if (!query) return 'headers';
  const name = /^([^=&]+)=/.exec(query)?.[1];
  if (!name) return 'query';
  try {
    return decodeURIComponent(name).replace(/[^\w.[\]-]/g, '') || 'query';
  } catch {
    return 'query';
  }
}

function respond(socket: Socket, status: number, reason: string, body: object): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

/**
 * Requests Node refuses before the application sees them (a malformed request, a request line or
 * headers over 16 KB, e.g. a huge query string) are answered in the API's one error shape, problem+json
 * naming the field, as Node's own bare answer would not be. Node's status codes are kept.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: Error & { code?: string; rawPacket?: Buffer }, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    if (error.code === 'HPE_HEADER_OVERFLOW') {
      const field = oversizedField(error.rawPacket);
      respond(
        socket,
        431,
        'Request Header Fields Too Large',
        problem(431, `The request line and headers must be at most ${HEADER_LIMIT_KB} KB together.`, {
          title: 'Request Header Fields Too Large',
          errors: [{ field, reason: `is too long (the request must stay under ${HEADER_LIMIT_KB} KB)` }],
        }),
      );
      return;
    }
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      respond(
        socket,
        408,
        'Request Timeout',
        problem(408, 'The request took too long to arrive.', { title: 'Request Timeout' }),
      );
      return;
    }
    respond(
      socket,
      400,
      'Bad Request',
      problem(400, 'The request is not valid HTTP.', {
        errors: [{ field: 'request', reason: 'is malformed' }],
      }),
    );
  });
}
