import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import Handlebars from 'handlebars';
import { simpleParser } from 'mailparser';
import { DevInboxService } from '@luotsi/domain';
import { Public } from '../common/auth';
import { Id } from '../common/params';

const hbs = Handlebars.create();
const layout = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${hbs.escapeExpression(title)}</title>
<style>body{font:15px/1.45 system-ui,sans-serif;margin:0;padding:1rem;background:#f6f7f9;color:#1b1f23}
table{border-collapse:collapse;width:100%;background:#fff}td,th{padding:.4rem .6rem;border-bottom:1px solid #e3e5e8;text-align:left;vertical-align:top}
iframe{width:100%;height:70vh;border:1px solid #ccd;background:#fff}pre{white-space:pre-wrap;background:#fff;padding:1rem;border:1px solid #ccd}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;background:#fff;padding:1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}</style></head><body>${body}</body></html>`;

const listTemplate =
  hbs.compile(`<h1>Inbox</h1><p>{{count}} message(s), newest first. Mail is captured here because no SMTP_URL is set.</p>
<table><thead><tr><th>When</th><th>To</th><th>Subject</th></tr></thead><tbody>
{{#each items}}<tr><td>{{at}}</td><td>{{to}}</td><td><a href="/dev/inbox/{{id}}">{{subject}}</a></td></tr>{{/each}}
</tbody></table>`);

const messageTemplate =
  hbs.compile(`<p><a href="/dev/inbox">← Inbox</a> · <a href="/dev/inbox/{{id}}/raw">raw</a></p>
<h1>{{subject}}</h1>
<dl>{{#each headers}}<dt>{{name}}</dt><dd>{{value}}</dd>{{/each}}</dl>
<h2>HTML part</h2><iframe sandbox title="HTML part" src="/dev/inbox/{{id}}/html"></iframe>
<h2>Text part</h2><pre>{{text}}</pre>`);

const SHOWN_HEADERS = ['from', 'to', 'date', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post'];

/**
 * Development only (no SMTP_URL, never in production): the mail that would have been sent, as sent.
 * The HTML part is shown in a sandboxed frame, so nothing in a message can run here.
 */
@ApiExcludeController()
@Public()
@Controller('dev/inbox')
export class DevInboxController {
  constructor(private readonly inbox: DevInboxService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async list(@Res() response: Response) {
    const rows = await this.inbox.latest();
    const items = rows.map((r) => ({
      id: r.id,
      at: r.createdAt.toISOString(),
      to: r.recipients.join(', '),
      subject: r.subject,
    }));
    response.type('html').send(layout('Inbox', listTemplate({ count: rows.length, items })));
  }

  @Get(':id')
  async show(@Param('id', Id('message')) id: string, @Res() response: Response) {
    const row = await this.inbox.message(id);
    const parsed = await simpleParser(row.raw);
    // Raw header lines: mailparser folds List-* headers into one object, and these are what was sent.
    const headers = parsed.headerLines
      .filter((h) => SHOWN_HEADERS.includes(h.key))
      .map((h) => ({
        name: h.key,
        value: h.line
          .slice(h.line.indexOf(':') + 1)
          .replace(/\r?\n\s+/g, ' ')
          .trim(),
      }));
    response.type('html').send(
      layout(
        row.subject,
        messageTemplate({
          id: row.id,
          subject: parsed.subject,
          headers,
          html: parsed.html || '',
          text: parsed.text ?? '',
        }),
      ),
    );
  }

  /** The HTML part on its own, for the frame: sandboxed, no scripts, nothing loaded from anywhere. */
  @Get(':id/html')
  async html(@Param('id', Id('message')) id: string, @Res() response: Response) {
    const parsed = await simpleParser((await this.inbox.message(id)).raw);
    response
      .setHeader(
        'Content-Security-Policy',
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      )
      .type('html')
      .send(parsed.html || '');
  }

  @Get(':id/raw')
  async raw(@Param('id', Id('message')) id: string, @Res() response: Response) {
    response.type('text/plain; charset=utf-8').send((await this.inbox.message(id)).raw);
  }
}
