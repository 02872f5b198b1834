import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  WebhookDelivery,
  WebhookEndpoint,
  type WebhookDeliveryStatus,
  type WebhookEvent,
} from '@luotsi/database';
import { JobName, JobProducer } from '@luotsi/queue';
import { reconcileWaiting, WaitingRow, WaitingRows } from '../common/job-reconciler';
import { Page, PageRequest } from '../common/page';
import { affected, returned } from '../common/sql';
import { Tenancy } from '../tenancy/tenancy.service';
import { PARTICIPANT_KEY } from '../delivery';

/** What a new endpoint is made of; the workspace is the actor's. */
export interface NewWebhookEndpoint {
  url: string;
  events: WebhookEvent[];
  /** Sealed (`sealWebhookSecret`), never the secret itself. */
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  active: boolean;
  description: string | null;
  createdById: string | null;
}

/** What an attempt changes on a delivery row. */
export type WebhookDeliveryPatch = Partial<
  Pick<WebhookDelivery, 'status' | 'attempts' | 'responseStatus' | 'responseMs' | 'lastError' | 'sentAt'>
>;

/** A pending delivery waits on its job. */
const PENDING_DELIVERIES: WaitingRows<JobName.DeliverWebhook, WaitingRow> = {
  table: 'webhook_delivery',
  waiting: `t.status = 'pending'`,
  job: JobName.DeliverWebhook,
  payload: (row) => ({ deliveryId: row.id, generation: row.generation }),
};

/**
 * The webhooks' tables (`webhook_endpoint`, `webhook_delivery`): the only code that reads or writes them.
 * An owner's reads and writes go through the actor's scope; announcing an event names its workspace;
 * the delivery job reaches its row by the id it carries.
 */
@Injectable()
export class WebhooksStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenancy: Tenancy,
  ) {}

  private endpoints(manager?: EntityManager) {
    return this.tenancy.repo(WebhookEndpoint, 'webhook', manager);
  }

  pageEndpoints(page: PageRequest): Promise<Page<WebhookEndpoint>> {
    return this.endpoints().page(page);
  }

  /** Serialises endpoint creation in the actor's workspace until the transaction ends. */
  async lockEndpointCreation(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('webhooks.' || $1))`, [
      this.tenancy.actor.workspaceId,
    ]);
  }

  countEndpoints(manager?: EntityManager): Promise<number> {
    return this.endpoints(manager).count();
  }

  createEndpoint(values: NewWebhookEndpoint, manager?: EntityManager): Promise<WebhookEndpoint> {
    return this.endpoints(manager).create(values);
  }

  getEndpoint(
    id: string,
    options: { lock?: boolean } = {},
    manager?: EntityManager,
  ): Promise<WebhookEndpoint> {
    return this.endpoints(manager).get(id, options);
  }

  saveEndpoint(endpoint: WebhookEndpoint, manager?: EntityManager): Promise<WebhookEndpoint> {
    return this.endpoints(manager).save(endpoint);
  }

  removeEndpoint(endpoint: WebhookEndpoint, manager?: EntityManager): Promise<void> {
    return this.endpoints(manager).remove(endpoint);
  }

  /** An endpoint's deliveries, newest first. */
  pageDeliveries(endpointId: string, page: PageRequest): Promise<Page<WebhookDelivery>> {
    return this.tenancy
      .repo(WebhookDelivery, 'webhook delivery')
      .page(page, { endpointId }, { createdAt: 'DESC', id: 'DESC' });
  }

  /**
   * One pending delivery per active endpoint of the workspace subscribed to the event, keyed
   * `{event}.{entity}.{endpoint}`; a key delivered already adds nothing. Returns the rows added.
   */
  async addDeliveries(
    workspaceId: string,
    event: WebhookEvent,
    entityId: string,
    data: Record<string, unknown>,
  ): Promise<WaitingRow[]> {
    return returned<WaitingRow>(
      await this.dataSource.query(
        `INSERT INTO webhook_delivery (workspace_id, endpoint_id, event, key, payload, status)
         SELECT e.workspace_id, e.id, $2::text, $2::text || '.' || $3::text || '.' || e.id, $4::jsonb, 'pending'
         FROM webhook_endpoint e
         WHERE e.workspace_id = $1 AND e.active AND $2::text = ANY (e.events)
         ON CONFLICT (key) DO NOTHING
         RETURNING id, generation`,
        [workspaceId, event, entityId, JSON.stringify(data)],
      ),
    );
  }

  /** The delivery a job carries the id of, whichever workspace's it is. */
  delivery(id: string): Promise<WebhookDelivery | null> {
    return this.dataSource.getRepository(WebhookDelivery).findOneBy({ id });
  }

  /** The endpoint of a delivery the job holds. */
  endpointOf(delivery: WebhookDelivery): Promise<WebhookEndpoint | null> {
    return this.dataSource
      .getRepository(WebhookEndpoint)
      .findOneBy({ id: delivery.endpointId, workspaceId: delivery.workspaceId });
  }

  async recordAttempt(delivery: WebhookDelivery, patch: WebhookDeliveryPatch): Promise<void> {
    await this.dataSource.getRepository(WebhookDelivery).update({ id: delivery.id }, patch);
  }

  /** Deliveries of every workspace by status, from the tally the table's triggers keep (no scan). */
  countsByStatus(): Promise<{ status: WebhookDeliveryStatus; n: number }[]> {
    return this.dataSource.query(
      `SELECT status, sum(value)::int AS n FROM webhook_delivery_tally GROUP BY status`,
    );
  }

  /** Queues anew the pending deliveries whose job Redis no longer holds (see `reconcileWaiting`). */
  requeueLost(producer: JobProducer, olderThanMs: number): Promise<number> {
    return reconcileWaiting(this.dataSource, producer, PENDING_DELIVERIES, olderThanMs);
  }

  /**
   * An erased participant's failed mail, as announced in the workspace: the payloads keep the outbox id
   * and a classified reason; the person's id, their id in the key and any other reason (`erased`) go.
   */
  async forgetErasedParticipant(
    workspaceId: string,
    participantId: string,
    erased: string,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE webhook_delivery
         SET payload = payload || jsonb_build_object(
               'participantId', NULL,
               'key', regexp_replace(payload ->> 'key', '${PARTICIPANT_KEY}', '.erased.' || (payload ->> 'outboxId')),
               'reason', CASE WHEN payload ->> 'reason' ~ '^[a-z_]+$' THEN payload ->> 'reason' ELSE $3 END),
             updated_at = now()
         WHERE workspace_id = $1 AND event = 'delivery.failed' AND payload ->> 'participantId' = $2::text`,
      [workspaceId, participantId, erased],
    );
  }

  /** The failures announced of these outbox rows of erased people no longer name the person. */
  async forgetErasedMail(outboxIds: string[], manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE webhook_delivery
         SET payload = payload || jsonb_build_object(
               'participantId', NULL,
               'key', regexp_replace(payload ->> 'key', '${PARTICIPANT_KEY}', '.erased.' || (payload ->> 'outboxId'))),
             updated_at = now()
         WHERE event = 'delivery.failed' AND payload ->> 'outboxId' = ANY($1::text[])
           AND (payload ->> 'participantId' IS NOT NULL OR payload ->> 'key' ~ '${PARTICIPANT_KEY}')`,
      [outboxIds],
    );
  }

  /** Retention: up to `limit` finished deliveries (sent or failed) last changed before `cutoff`. */
  async purgeFinished(cutoff: Date, limit: number): Promise<number> {
    return affected(
      await this.dataSource.query(
        `DELETE FROM webhook_delivery WHERE id IN (
           SELECT id FROM webhook_delivery WHERE status IN ('sent', 'failed') AND updated_at < $1
           ORDER BY updated_at LIMIT $2)`,
        [cutoff, limit],
      ),
    );
  }
}
