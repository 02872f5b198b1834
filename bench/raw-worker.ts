/**
 * The raw baseline of the dispatch path, as its own process: what the same work costs with the bare
 * libraries and nothing of Luotsi's — a BullMQ worker, a Handlebars render of the same template and
 * layout, pooled nodemailer, and one Postgres status row per message (inserted in bulk, updated per
 * message). No Nest, no TypeORM, no claim, no nudge hygiene, no unsubscribe token.
 */
import { Job, Queue, Worker } from 'bullmq';
import Handlebars from 'handlebars';
import { createTransport } from 'nodemailer';
import { Pool } from 'pg';
import { FOOTERS, HEADERS, LAYOUT } from '@luotsi/mail/layout';
import { TEMPLATE_CONTENT } from '@luotsi/mail/templates';
import { redisConnection } from '@luotsi/queue/redis-connection';

export type RawRequest = { type: 'fan-out' };
export type RawReply = { type: 'ready' } | { type: 'fanned-out'; rows: number };

type Locale = 'fi' | 'sv' | 'en';
interface RawJob {
  id: string;
  email: string;
  name: string;
  locale: Locale;
}

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const QUEUE = 'raw-delivery';
const BATCH = 1000;
const connection = redisConnection(env('REDIS_URL'));
const prefix = env('QUEUE_PREFIX');
const db = new Pool({ connectionString: env('DATABASE_URL'), max: Number(env('DATABASE_POOL_SIZE')) });
const mailer = createTransport({
  url: env('SMTP_URL'),
  pool: true,
  maxConnections: Number(env('MAIL_POOL_SIZE')),
  maxMessages: 500,
});

const handlebars = Handlebars.create();
handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
const dates = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' } as const;
handlebars.registerHelper('date', (iso: string, options: Handlebars.HelperOptions) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString(dates[(options.data as { locale: Locale }).locale], {
    timeZone: 'UTC',
  }),
);
const compiled = Object.fromEntries(
  (['fi', 'sv', 'en'] as const).map((locale) => {
    const content = TEMPLATE_CONTENT['prompt-kickoff'][locale];
    return [
      locale,
      {
        subject: handlebars.compile(content.subject, { noEscape: true }),
        body: handlebars.compile(content.body),
        header: handlebars.compile(HEADERS.participant),
        footer: handlebars.compile(FOOTERS[locale].participant),
      },
    ];
  }),
) as Record<Locale, Record<'subject' | 'body' | 'header' | 'footer', HandlebarsTemplateDelegate>>;
const layout = handlebars.compile(LAYOUT);

function render(job: RawJob) {
  const data = {
    recipient: { name: job.name, firstName: job.name.split(' ')[0] },
    organization: { name: 'Bench Agency' },
    pilot: { name: 'Bench pilot', waveNumber: 1 },
    quarter: { label: '2027-Q1', number: 1, week: 1, weeksLeft: 12, endsOn: '2027-03-31' },
    coach: { name: 'Bench Coach' },
    links: { unsubscribe: `http://127.0.0.1:3000/u/${job.id}` },
  };
  const t = compiled[job.locale];
  const options = { data: { locale: job.locale } };
  const subject = t.subject(data, options);
  const body = t.body(data, options);
  const html = layout(data, {
    data: { locale: job.locale, subject },
    partials: { header: t.header, footer: t.footer, body: () => body },
  });
  // The bare way to a plain-text part: drop the tags.
  const text = html
    .replace(/<[^>]+>/g, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { subject, html, text };
}

async function send(job: Job<RawJob>): Promise<void> {
  const mail = render(job.data);
  await mailer.sendMail({
    from: 'Luotsi <luotsi@localhost>',
    to: job.data.email,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    messageId: `<${job.data.id}@localhost>`,
  });
  await db.query(`UPDATE raw_message SET status = 'sent', sent_at = now() WHERE id = $1`, [job.data.id]);
}

/** One statement writes every status row; the jobs follow in bulk batches, as Luotsi's fan-out does. */
async function fanOut(queue: Queue): Promise<number> {
  const { rows } = await db.query<RawJob>(
    `INSERT INTO raw_message (email, name, locale)
     SELECT email, name, locale FROM raw_participant
     RETURNING id, email, name, locale`,
  );
  for (let i = 0; i < rows.length; i += BATCH) {
    await queue.addBulk(
      rows.slice(i, i + BATCH).map((row) => ({
        name: 'send',
        data: row,
        opts: { jobId: `raw.${row.id}`, removeOnComplete: { count: 10_000 }, attempts: 3 },
      })),
    );
  }
  return rows.length;
}

async function main(): Promise<void> {
  const queue = new Queue(QUEUE, { connection, prefix });
  const worker = new Worker(QUEUE, send, {
    connection,
    prefix,
    concurrency: Number(env('WORKER_CONCURRENCY')),
  });
  worker.on('error', (error) => console.error(error));
  await worker.waitUntilReady();
  process.on('message', (request: RawRequest) => {
    if (request.type === 'fan-out')
      fanOut(queue).then(
        (rows) => process.send!({ type: 'fanned-out', rows } satisfies RawReply),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
  });
  process.once('SIGTERM', () => {
    void (async () => {
      await worker.close();
      await queue.close();
      mailer.close();
      await db.end();
      process.exit(0);
    })();
  });
  process.send!({ type: 'ready' } satisfies RawReply);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
