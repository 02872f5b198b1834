import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { OUTBOX_STATUSES, WEBHOOK_DELIVERY_STATUSES } from '@luotsi/database';
import { JobProducer, QUEUE_NAMES } from '@luotsi/queue';
import { OutboxService, WebhookService } from '@luotsi/domain';

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
