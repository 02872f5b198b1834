import { AddressInfo } from 'node:net';
import { simpleParser, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  messageId: string;
  /** The envelope sender (MAIL FROM), where a bounce would go. */
  from: string;
  to: string;
  subject: string;
  /** mailparser's text: the text/plain part, or, when there is none, text it derives from the HTML. */
  text: string;
  html: string;
  /** The MIME tree as sent, e.g. `multipart/alternative(text/plain,text/html)`. */
  structure: string;
  /** The decoded body of the message's own text/plain part; null when it has none. */
  plainPart: string | null;
  /** The decoded body of the message's own text/html part; null when it has none. */
  htmlPart: string | null;
  /** The message exactly as received (after DATA). */
  raw: string;
  headers: Map<string, unknown>;
  /** A header exactly as sent (unfolded), by lower-case name. */
  header(name: string): string | undefined;
  receivedAt: Date;
}

/** Decides a recipient's fate at RCPT TO: null accepts, a code refuses (4xx temporary, 5xx permanent). */
export type RecipientPolicy = (address: string, attempt: number) => { code: number; message: string } | null;

/** Decides an AUTH by its user and its count so far: null accepts, a code refuses. */
export type AuthPolicy = (user: string, attempt: number) => { code: number; message: string } | null;

export interface TestSmtpServer {
  url: string;
  /** The outbox's mail (to participants, coaches, sponsors), in order of arrival. */
  received: ReceivedMail[];
  /**
   * The account's own mail (`X-Luotsi-Message: account:…`: a sign-up's confirmation, a notice, a reset,
   * an invitation), kept apart so that the fixtures' sign-ups and invitations leave `received`,
   * `attempts` and the attempt counts of the policy as they were: those are the outbox's.
   */
  accountMail: ReceivedMail[];
  /** Every RCPT TO seen of the outbox's mail, accepted or not, in order. */
  attempts: { to: string; code: number }[];
  setPolicy(policy: RecipientPolicy): void;
  /** Decides each AUTH (with credentials in SMTP_URL): null accepts, a code refuses (e.g. 535). */
  setAuthPolicy(policy: AuthPolicy): void;
  /** Every AUTH seen, in order, with the code answered. */
  authAttempts: { user: string; code: number }[];
  close(): Promise<void>;
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** An entity's header block and body, split at the first empty line. */
function splitEntity(entity: string): { headers: string; body: string } {
  const blank = /\r?\n\r?\n/.exec(entity);
  return blank
    ? { headers: entity.slice(0, blank.index), body: entity.slice(blank.index + blank[0].length) }
    : { headers: entity, body: '' };
}

/** Content-Type of a header block (RFC 2045's default when absent), lower-case, with its boundary. */
function contentType(headers: string): { type: string; boundary?: string } {
  const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
  const value = /^content-type:\s*(.*)$/im.exec(unfolded)?.[1] ?? 'text/plain';
  const boundary = /;\s*boundary="?([^";]+)"?/i.exec(value)?.[1];
  return { type: value.split(';')[0].trim().toLowerCase(), boundary };
}

/**
 * Walks the MIME tree of a raw message: its shape as a string, e.g.
 * `multipart/alternative(text/plain,text/html)`, and each leaf entity (headers and body) by type.
 */
export function mimeTree(entity: string): { structure: string; leaves: { type: string; entity: string }[] } {
  const { headers, body } = splitEntity(entity);
  const { type, boundary } = contentType(headers);
  if (!type.startsWith('multipart/') || !boundary) return { structure: type, leaves: [{ type, entity }] };
  const parts: string[][] = [];
  let current: string[] | null = null;
  for (const line of body.split(/\r?\n/)) {
    if (line.trimEnd() === `--${boundary}--`) break;
    if (line.trimEnd() === `--${boundary}`) parts.push((current = []));
    else current?.push(line);
  }
  const children = parts.map((lines) => mimeTree(lines.join('\r\n')));
  return {
    structure: `${type}(${children.map((child) => child.structure).join(',')})`,
    leaves: children.flatMap((child) => child.leaves),
  };
}

/** A real SMTP server in the test process (smtp-server + mailparser), listening on a free port. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const accountMail: ReceivedMail[] = [];
  const attempts: { to: string; code: number }[] = [];
  /** The RCPT TO entries of each session's current message, to take back out for account mail. */
  const pending = new Map<string, { to: string; code: number }[]>();
  const tries = new Map<string, number>();
  let policy: RecipientPolicy = () => null;
  let authPolicy: AuthPolicy = () => null;
  const authAttempts: { user: string; code: number }[] = [];

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      const user = auth.username ?? '';
      const verdict = authPolicy(user, authAttempts.filter((a) => a.user === user).length + 1);
      authAttempts.push({ user, code: verdict?.code ?? 235 });
      if (!verdict) return callback(null, { user });
      const error = new Error(verdict.message) as Error & { responseCode: number };
      error.responseCode = verdict.code;
      callback(error);
    },
    onMailFrom(_address, session, callback) {
      pending.delete(session.id); // a new message of the session
      callback();
    },
    onRcptTo(address, session, callback) {
      const to = address.address.toLowerCase();
      const attempt = (tries.get(to) ?? 0) + 1;
      tries.set(to, attempt);
      const verdict = policy(to, attempt);
      const entry = { to, code: verdict?.code ?? 250 };
      attempts.push(entry);
      if (!verdict) pending.set(session.id, [...(pending.get(session.id) ?? []), entry]);
      if (!verdict) return callback();
      const error = new Error(verdict.message) as Error & { responseCode: number };
      error.responseCode = verdict.code;
      callback(error);
    },
    onData(stream, session, callback) {
      readAll(stream)
        .then(async (buffer) => {
          const raw = buffer.toString('utf8');
          const mail: ParsedMail = await simpleParser(buffer);
          const { structure, leaves } = mimeTree(raw);
          const plain = leaves.find((leaf) => leaf.type === 'text/plain');
          const html = leaves.find((leaf) => leaf.type === 'text/html');
          // Each part parsed on its own, so mailparser decodes it and derives nothing from another part.
          const plainPart = plain ? ((await simpleParser(plain.entity)).text ?? '') : null;
          const htmlPart = html ? String((await simpleParser(html.entity)).html || '') : null;
          const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          const entries = pending.get(session.id) ?? [];
          pending.delete(session.id);
          const account = /^account:/.test(
            mail.headerLines
              .find((h) => h.key === 'x-luotsi-message')
              ?.line.split(':')
              .slice(1)
              .join(':')
              .trim() ?? '',
          );
          if (account)
            for (const entry of entries) {
              attempts.splice(attempts.indexOf(entry), 1);
              tries.set(entry.to, (tries.get(entry.to) ?? 1) - 1);
            }
          for (const address of to) {
            (account ? accountMail : received).push({
              messageId: mail.messageId ?? '',
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address.toLowerCase() : '',
              to: address,
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              structure,
              plainPart,
              htmlPart,
              raw,
              headers: mail.headers,
              header: (name: string) => {
                const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
                return line
                  ?.slice(line.indexOf(':') + 1)
                  .replace(/\r?\n\s+/g, ' ')
                  .trim();
              },
              receivedAt: new Date(),
            });
          }
          callback();
        })
        .catch(callback);
    },
  });
  // A client that drops the connection must not crash the test process.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    accountMail,
    attempts,
    setPolicy: (next) => {
      policy = next;
    },
    authAttempts,
    setAuthPolicy: (next) => {
      authPolicy = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
