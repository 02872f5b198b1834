/**
 * A lean SMTP server for the bench, run as its own process (so the bench's event loop never paces the
 * senders): it accepts every message (after `SINK_DELAY_MS`, if set), reads only its Message-ID, and answers its parent over IPC with
 * how many arrived, when the last one did, and (at the end) every Message-ID for the duplicate check.
 */
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type SinkRequest = { type: 'count' } | { type: 'messageIds' };
export type SinkReply =
  | { type: 'listening'; url: string }
  | { type: 'count'; count: number; lastAt: number }
  | { type: 'messageIds'; ids: string[] };

const HEADER_LIMIT = 64 * 1024;
/** How long each message waits before it is accepted, as a mail provider's answer takes on the internet. */
const DELAY_MS = Number(process.env.SINK_DELAY_MS ?? 0);
const ids: string[] = [];
let lastAt = 0;

const send = (reply: SinkReply) => process.send!(reply);

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  size: 10 * 1024 * 1024,
  onData(stream, _session, callback) {
    let head = '';
    let id: string | undefined;
    stream.on('data', (chunk: Buffer) => {
      if (id !== undefined || head.length > HEADER_LIMIT) return;
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      id = /^message-id:\s*(<[^>\r\n]+>)/im.exec(head.slice(0, end))?.[1] ?? '';
    });
    stream.on('end', () => {
      const accept = () => {
        ids.push(id ?? '');
        lastAt = Date.now();
        callback();
      };
      if (DELAY_MS > 0) setTimeout(accept, DELAY_MS);
      else accept();
    });
  },
});
// A client that drops its connection must not end the sink.
server.on('error', () => undefined);

process.on('message', (request: SinkRequest) => {
  if (request.type === 'count') send({ type: 'count', count: ids.length, lastAt });
  else send({ type: 'messageIds', ids });
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  const { port } = server.server.address() as AddressInfo;
  send({ type: 'listening', url: `smtp://127.0.0.1:${port}` });
});
