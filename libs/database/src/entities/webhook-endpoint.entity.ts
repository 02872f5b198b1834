import { Column, Entity } from 'typeorm';
import { WorkspaceOwned } from './workspace-owned';

/** What a workspace can subscribe to. Never rename one: receivers switch on these names. */
export const WEBHOOK_EVENTS = ['report.ready', 'readiness.decided', 'delivery.failed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * A URL of the workspace's own that hears about events it subscribed to. The secret signs every
 * delivery; it is shown once, at creation, and kept in the clear because signing needs it.
 */
@Entity()
export class WebhookEndpoint extends WorkspaceOwned {
  @Column('text')
  url: string;

  @Column('text', { array: true })
  events: WebhookEvent[];

  @Column('text')
  secret: string;

  @Column('boolean', { default: true })
  active: boolean;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('uuid', { nullable: true })
  createdById: string | null;
}
