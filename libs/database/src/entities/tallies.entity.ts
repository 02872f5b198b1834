import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Running totals of the outbox for the operator's metrics, kept by triggers on `outbox_message` so a
 * scrape reads a few rows however many mails were ever sent. `metric` is `rows` (rows by status, `label`
 * the status), `latency_bucket` (sent mails whose due-to-sent seconds are at most `label` and more than
 * the next smaller bound, the bounds defined by the migrations, `+Inf` beyond the last) or
 * `latency_sum` (their seconds). Writers add to the row of their own `shard` (the backend's process id
 * modulo 8), so concurrent senders do not queue on one row; a reader sums the shards.
 */
@Entity()
export class OutboxTally {
  @PrimaryColumn('text')
  metric: string;

  @PrimaryColumn('text')
  label: string;

  @PrimaryColumn('smallint')
  shard: number;

  @Column('float8', { default: 0 })
  value: number;
}

/** Webhook deliveries by status, kept by triggers on `webhook_delivery` (as `OutboxTally`). */
@Entity()
export class WebhookDeliveryTally {
  @PrimaryColumn('text')
  status: string;

  @PrimaryColumn('smallint')
  shard: number;

  @Column('bigint', { default: 0 })
  value: string;
}

/** The day the retention rules last ran (one row per rule set), so one worker runs them once a day. */
@Entity()
export class RetentionRun {
  @PrimaryColumn('text')
  name: string;

  @Column('date')
  ranOn: string;

  @Column('jsonb', { default: {} })
  deleted: Record<string, number>;
}
