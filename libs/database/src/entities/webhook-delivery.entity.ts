import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { WorkspaceOwned } from './workspace-owned';
import { WebhookEndpoint, type WebhookEvent } from './webhook-endpoint.entity';

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'sent', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * One event for one endpoint. The natural key `{event}.{entity}.{endpoint}` is unique, so an event
 * announced twice (a retried job, a listener run again) is delivered once. The payload is stored as
 * sent, so every retry sends the same body.
 */
@Entity()
@Index(['key'], { unique: true })
@Index(['endpointId', 'createdAt'])
@Index(['status', 'updatedAt'])
export class WebhookDelivery extends WorkspaceOwned {
  @Column('uuid')
  endpointId: string;

  @ManyToOne(() => WebhookEndpoint, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id' })
  endpoint?: WebhookEndpoint;

  @Column('text')
  event: WebhookEvent;

  @Column('text')
  key: string;

  @Column('jsonb')
  payload: unknown;

  @Column('text', { default: 'pending' })
  status: WebhookDeliveryStatus;

  /** Bumped when the row is queued anew after Redis lost its job, so its job id is new. */
  @Column('integer', { default: 0 })
  generation: number;

  @Column('integer', { default: 0 })
  attempts: number;

  /** What went wrong on the last attempt: a status, a timing or a refusal, never the receiver's words. */
  @Column('text', { nullable: true })
  lastError: string | null;

  /** Milliseconds until the receiver's answer (its status line) on the last attempt; null without one. */
  @Column('integer', { nullable: true })
  responseMs: number | null;

  /** The receiver's HTTP status on the last attempt; null when it never answered. */
  @Column('integer', { nullable: true })
  responseStatus: number | null;

  @Column('timestamptz', { nullable: true })
  sentAt: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
