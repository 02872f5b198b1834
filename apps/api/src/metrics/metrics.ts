import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { OUTBOX_STATUSES, WEBHOOK_DELIVERY_STATUSES } from '@luotsi/database';
import { JobProducer, QUEUE_NAMES } from '@luotsi/queue';
import {
  OutboxService,
  ReportFormats,
  ReportPrinter,
  SendQuotaService,
  WebhookService,
} from '@luotsi/domain';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * The API's Prometheus registry. HTTP metrics are observed per request; everything else is read when
 * Prometheus scrapes: queue depths from Redis, outbox and webhook rows and the send latency from the
 * tallies Postgres keeps beside those tables (a few rows, however many mails were ever sent). So any number of workers need no scrape target of their own, and nothing is lost when one
 * restarts. One registry per app instance (not prom-client's global one), so tests can boot several.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'luotsi_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'luotsi_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(
    private readonly producer: JobProducer,
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly webhookDeliveries: WebhookService,
    private readonly quotas: SendQuotaService,
    private readonly printer: ReportPrinter,
    private readonly formats: ReportFormats,
  ) {
    collectDefaultMetrics({ register: this.registry });
    const queueJobs: Gauge<'queue' | 'state'> = new Gauge({
      name: 'luotsi_queue_jobs',
      help: 'Jobs in each queue by state, read from the queue backend at scrape time',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      collect: async () => {
        const counts = await Promise.all(
          QUEUE_NAMES.map((name) => this.producer.queue(name).getJobCounts(...QUEUE_STATES)),
        );
        QUEUE_NAMES.forEach((queue, i) => {
          for (const state of QUEUE_STATES) queueJobs.set({ queue, state }, counts[i][state] ?? 0);
        });
      },
    });
    const outboxRows: Gauge<'status'> = new Gauge({
      name: 'luotsi_outbox_messages',
      help: 'Outbox rows (one per mail) by status, counted at scrape time',
      labelNames: ['status'],
      registers: [this.registry],
      collect: async () => setCounts(outboxRows, OUTBOX_STATUSES, await this.outbox.countsByStatus()),
    });
    const webhooks: Gauge<'status'> = new Gauge({
      name: 'luotsi_webhook_deliveries',
      help: 'Webhook deliveries by status, counted at scrape time',
      labelNames: ['status'],
      registers: [this.registry],
      collect: async () =>
        setCounts(webhooks, WEBHOOK_DELIVERY_STATUSES, await this.webhookDeliveries.countsByStatus()),
    });
    this.registry.registerMetric(new SendLatency(this.outbox) as never);

    // Send quotas, today (UTC): a workspace at its quota has its further participant mail held for tomorrow.
    const quotaGauge = (
      name: string,
      help: string,
      read: (m: Awaited<ReturnType<SendQuotaService['metrics']>>) => number,
    ) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          this.set(read(await quotaService.metrics()));
        },
      });
    const quotaService = this.quotas;
    quotaGauge(
      'luotsi_mail_held_for_quota',
      "Participant mails deferred to the next day because their workspace's daily send quota is used up",
      (m) => m.held,
    );
    quotaGauge(
      'luotsi_send_quota_used_today',
      "Participant mails begun today (UTC) against the workspaces' daily send quotas",
      (m) => m.usedToday,
    );
    quotaGauge(
      'luotsi_workspaces_at_send_quota',
      'Workspaces that have used up their daily send quota today (UTC)',
      (m) => m.workspacesAtQuota,
    );

    // PDF export, in this API process: prints, what was served from kept PDFs, refusals, renderer restarts.
    const pdfPrinter = this.printer;
    const pdfFormats = this.formats;
    // Counted in this process (so they start again with it, as Prometheus' counters may).
    const pdfCounter = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    const pdfGauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });
    pdfCounter(
      'luotsi_pdf_printed_total',
      'PDFs printed by this API process (its renderer) since it started',
      () => pdfPrinter.counters.printed,
    );
    pdfCounter(
      'luotsi_pdf_served_kept_total',
      'PDFs served from a kept print, not printed again, since start',
      () => pdfFormats.pdfCounts.kept,
    );
    pdfCounter(
      'luotsi_pdf_refused_total',
      'PDF requests refused with 503 (pages and queue full) since start',
      () => pdfPrinter.counters.refused,
    );
    pdfCounter(
      'luotsi_pdf_lost_total',
      'PDF prints lost with a renderer that died or hung, since start',
      () => pdfPrinter.counters.lost,
    );
    pdfCounter(
      'luotsi_pdf_renderer_starts_total',
      'PDF renderer processes started since start',
      () => pdfPrinter.counters.started,
    );
    pdfGauge('luotsi_pdf_pages_active', 'PDFs printing right now', () => pdfPrinter.counters.active);
    pdfGauge(
      'luotsi_pdf_pages_most',
      'The most Chromium pages the renderer has had open at once, by its own count, since start',
      () => pdfPrinter.counters.rendererMostPages,
    );
    pdfGauge(
      'luotsi_pdf_waiting',
      'PDF requests waiting for a page right now',
      () => pdfPrinter.counters.waiting,
    );
  }
}

/** A gauge of rows by status, every status shown (0 when it has none). */
function setCounts(
  gauge: Gauge<'status'>,
  statuses: readonly string[],
  rows: { status: string; n: number }[],
) {
  gauge.reset();
  for (const status of statuses) gauge.set({ status }, 0);
  for (const row of rows) gauge.set({ status: row.status }, row.n);
}

/**
 * A histogram the outbox keeps of every sent row (due to sent); its bounds are the tally's. It only
 * grows as mail is sent, so Prometheus' rate() and histogram_quantile() work on it as on any other.
 */
class SendLatency {
  readonly name = 'luotsi_mail_send_latency_seconds';
  readonly help = 'Seconds from a mail being due to it being sent (sent mail only), from the outbox';
  readonly type = 'histogram';
  readonly aggregator = 'sum';

  constructor(private readonly outbox: OutboxService) {}

  async get() {
    const row = await this.outbox.sendLatency();
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: [
        ...row.buckets.map(({ le, n }) => ({
          metricName: `${this.name}_bucket`,
          labels: { le },
          value: n,
        })),
        { metricName: `${this.name}_bucket`, labels: { le: '+Inf' }, value: row.count as number },
        { metricName: `${this.name}_sum`, labels: {}, value: row.sum as number },
        { metricName: `${this.name}_count`, labels: {}, value: row.count as number },
      ],
    };
  }
}
