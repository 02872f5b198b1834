import { AddressInfo } from 'node:net';
import { simpleParser, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Map<string, unknown>;
  /** A header exactly as sent (unfolded), by lower-case name. */
  header(name: string): string | undefined;
  receivedAt: Date;
}

/** Decides a recipient's fate at RCPT TO: null accepts, a code refuses (4xx temporary, 5xx permanent). */
export type RecipientPolicy = (address: string, attempt: number) => { code: number; message: string } | null;

export interface TestSmtpServer {
  url: string;
  received: ReceivedMail[];
  /** Every RCPT TO seen, accepted or not, in order. */
  attempts: { to: string; code: number }[];
  setPolicy(policy: RecipientPolicy): void;
  close(): Promise<void>;
}

/** A real SMTP server in the test process (smtp-server + mailparser), listening on a free port. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const attempts: { to: string; code: number }[] = [];
  const tries = new Map<string, number>();
  let policy: RecipientPolicy = () => null;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      const attempt = (tries.get(to) ?? 0) + 1;
      tries.set(to, attempt);
      const verdict = policy(to, attempt);
      attempts.push({ to, code: verdict?.code ?? 250 });
      if (!verdict) return callback();
      const error = new Error(verdict.message) as Error & { responseCode: number };
      error.responseCode = verdict.code;
      callback(error);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail: ParsedMail) => {
          const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          for (const address of to) {
            received.push({
              messageId: mail.messageId ?? '',
              to: address,
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
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
    attempts,
    setPolicy: (next) => {
      policy = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
