import { Column, Entity } from 'typeorm';
import { WorkspaceOwned } from './workspace-owned';

/** What a workspace can subscribe to. Never rename one: receivers switch on these names. */
export const WEBHOOK_EVENTS = ['report.ready', 'readiness.decided', 'delivery.failed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * A URL of the workspace's own that hears about events it subscribed to. The secret signs every
 * delivery; it is shown once, at creation or rotation, and stored encrypted (signing needs it back).
 */
@Entity()
export class WebhookEndpoint extends WorkspaceOwned {
  @Column('text')
  url: string;

  @Column('text', { array: true })
  events: WebhookEvent[];

  /** Signs deliveries; AES-256-GCM-encrypted with `WEBHOOK_SECRET_KEY` (`enc1:{iv}.{tag}.{data}`). */
  @Column('text')
  secret: string;

  /** The secret before the last rotation, encrypted like `secret`: deliveries carry both signatures until it expires. */
  @Column('text', { nullable: true })
  previousSecret: string | null;

  @Column('timestamptz', { nullable: true })
  previousSecretExpiresAt: Date | null;

  @Column('boolean', { default: true })
  active: boolean;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('uuid', { nullable: true })
  createdById: string | null;
}
