import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type OutboxMessage,
  WEBHOOK_EVENTS,
  WebhookDelivery,
  WebhookEndpoint,
  type WebhookDeliveryStatus,
  type WebhookEvent,
} from '@luotsi/database';
import { AppConfig } from '@luotsi/config';
import { JobName, JobProducer } from '@luotsi/queue';
import { AuditLog } from '../audit';
import { ConflictError, InputIssue, InvalidInputError } from '../common/errors';
import { Page, PageRequest } from '../common/page';
import { OnDomainEvent } from '../common/reactions';
import { classifyDeliveryFailure } from '../delivery';
import { Tenancy } from '../tenancy/tenancy.service';
import { WebhookEgress } from './webhook-egress';
import { sealWebhookSecret } from './webhook-secret-box';
import { newWebhookSecret } from './webhook-signature';
import { webhookUrlProblem } from './webhook-url';
import { WebhooksStore } from './webhooks.store';

/** Enough for a few integrations; each endpoint multiplies every event's deliveries. */
export const MAX_WEBHOOK_ENDPOINTS = 20;

/** How long a rotated-out secret keeps signing alongside the new one, by default and at most. */
export const SECRET_OVERLAP_DEFAULT_HOURS = 24;
export const SECRET_OVERLAP_MAX_HOURS = 24 * 7;

export interface WebhookEndpointInput {
  url: string;
  events: WebhookEvent[];
  description?: string;
}

export interface WebhookEndpointView {
  id: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  description: string | null;
  /** Until when the secret before the last rotation still signs deliveries too; null when none does. */
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
}

export interface WebhookDeliveryView {
  id: string;
  endpointId: string;
  event: WebhookEvent;
  status: WebhookDelivery['status'];
  attempts: number;
  responseStatus: number | null;
  responseMs: number | null;
  lastError: string | null;
  payload: unknown;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
}

/**
 * A workspace's webhook endpoints and what they were sent. `emit` is how a feature announces an event:
 * one delivery row per subscribed endpoint, keyed `{event}.{entity}.{endpoint}` so announcing twice
 * delivers once, then one job per row. Final mail failures are announced from here; reports and
 * decisions announce themselves through `emit`.
 */
@Injectable()
export class WebhookService {
  private readonly logger = new Logger(WebhookService.name);

  constructor(
    private readonly tenancy: Tenancy,
    private readonly store: WebhooksStore,
    private readonly producer: JobProducer,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
    private readonly egress: WebhookEgress,
  ) {}

  async list(page: PageRequest): Promise<Page<WebhookEndpointView>> {
    this.tenancy.requireRole('owner');
    const found = await this.store.pageEndpoints(page);
    return { ...found, items: found.items.map(endpointView) };
  }

  /** Creates an endpoint; the secret is in this answer and never again. */
  async create(input: WebhookEndpointInput): Promise<WebhookEndpointView & { secret: string }> {
    this.tenancy.requireRole('owner');
    const issues: InputIssue[] = [];
    const problem =
      webhookUrlProblem(input.url, this.config.isProduction) ?? (await this.egress.targetProblem(input.url));
    if (problem) issues.push({ field: 'url', reason: problem });
    const events = [...new Set(input.events)];
    if (!events.length) issues.push({ field: 'events', reason: 'subscribe to at least one event' });
    const unknown = events.filter((event) => !WEBHOOK_EVENTS.includes(event));
    if (unknown.length)
      issues.push({
        field: 'events',
        reason: `unknown: ${unknown.join(', ')}; known: ${WEBHOOK_EVENTS.join(', ')}`,
      });
    if (issues.length) throw new InvalidInputError('The webhook endpoint is not valid.', issues);
    const secret = newWebhookSecret();
    return this.tenancy.transaction(async (manager) => {
      // Serialises creation per workspace, so the cap holds under concurrent requests.
      await this.store.lockEndpointCreation(manager);
      if ((await this.store.countEndpoints(manager)) >= MAX_WEBHOOK_ENDPOINTS)
        throw new ConflictError(`A workspace can have at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints.`);
      const endpoint = await this.store.createEndpoint(
        {
          url: input.url,
          events,
          secret: sealWebhookSecret(secret, this.config.webhooks.secretKey),
          previousSecret: null,
          previousSecretExpiresAt: null,
          active: true,
          description: input.description?.trim() || null,
          createdById: this.tenancy.actor.memberId,
        },
        manager,
      );
      await this.audit.record(
        {
          action: 'webhook.created',
          entityType: 'webhook_endpoint',
          entityId: endpoint.id,
          details: { url: endpoint.url, events },
        },
        manager,
      );
      return { ...endpointView(endpoint), secret };
    });
  }

  /**
   * A new secret, shown in this answer only. The current one keeps signing alongside it (a second `v1`
   * in `Luotsi-Signature`) for `overlapHours`, so receivers can switch without missing a delivery;
   * rotating again ends the older overlap at once.
   */
  async rotateSecret(
    id: string,
    overlapHours = SECRET_OVERLAP_DEFAULT_HOURS,
  ): Promise<WebhookEndpointView & { secret: string }> {
    this.tenancy.requireRole('owner');
    if (!Number.isInteger(overlapHours) || overlapHours < 0 || overlapHours > SECRET_OVERLAP_MAX_HOURS)
      throw new InvalidInputError('The overlap is not valid.', [
        { field: 'overlapHours', reason: `a whole number of hours from 0 to ${SECRET_OVERLAP_MAX_HOURS}` },
      ]);
    const secret = newWebhookSecret();
    return this.tenancy.transaction(async (manager) => {
      const endpoint = await this.store.getEndpoint(id, { lock: true }, manager);
      endpoint.previousSecret = overlapHours ? endpoint.secret : null;
      // Wall-clock time, as the signatures' timestamps are.
      endpoint.previousSecretExpiresAt = overlapHours
        ? new Date(Date.now() + overlapHours * 3_600_000)
        : null;
      endpoint.secret = sealWebhookSecret(secret, this.config.webhooks.secretKey);
      const saved = await this.store.saveEndpoint(endpoint, manager);
      await this.audit.record(
        {
          action: 'webhook.secret_rotated',
          entityType: 'webhook_endpoint',
          entityId: id,
          details: { overlapHours },
        },
        manager,
      );
      return { ...endpointView(saved), secret };
    });
  }

  /** Removes the endpoint and its delivery log; deliveries still queued find nothing and stop. */
  async remove(id: string): Promise<void> {
    this.tenancy.requireRole('owner');
    await this.tenancy.transaction(async (manager) => {
      const endpoint = await this.store.getEndpoint(id, { lock: true }, manager);
      await this.store.removeEndpoint(endpoint, manager);
      await this.audit.record(
        {
          action: 'webhook.deleted',
          entityType: 'webhook_endpoint',
          entityId: id,
          details: { url: endpoint.url },
        },
        manager,
      );
    });
  }

  /** An endpoint's deliveries, newest first. */
  async deliveries(endpointId: string, page: PageRequest): Promise<Page<WebhookDeliveryView>> {
    this.tenancy.requireRole('owner');
    await this.store.getEndpoint(endpointId);
    const found = await this.store.pageDeliveries(endpointId, page);
    return { ...found, items: found.items.map(deliveryView) };
  }

  /**
   * Announces an event to every active endpoint of the workspace subscribed to it. Call it after the
   * change it reports has committed. `entityId` names what happened (with a generation where the same
   * record can be announced again for a new reason); `data` is the payload's `data` object. The rows
   * are the truth: a job that fails to enqueue here is enqueued by the worker's sweep.
   */
  async emit(
    workspaceId: string,
    event: WebhookEvent,
    entityId: string,
    data: Record<string, unknown>,
  ): Promise<number> {
    const rows = await this.store.addDeliveries(workspaceId, event, entityId, data);
    if (!rows.length) return 0;
    try {
      await this.producer.enqueueMany(
        JobName.DeliverWebhook,
        rows.map((row) => ({ deliveryId: row.id, generation: row.generation })),
      );
    } catch (error) {
      this.logger.warn(
        `webhook deliveries stored, enqueue deferred to the sweep: ${(error as Error).message}`,
      );
    }
    return rows.length;
  }

  /** Deliveries of every workspace by status, for the operator's metrics. */
  countsByStatus(): Promise<{ status: WebhookDeliveryStatus; n: number }[]> {
    return this.store.countsByStatus();
  }

  /**
   * Ids and a classified reason only: a server's refusal usually quotes the address (and sometimes the
   * name), so none of its text goes out. The receiver looks the participant up by id if it may.
   */
  @OnDomainEvent('delivery.failed')
  private deliveryFailed(row: OutboxMessage, lastError: string): Promise<number> {
    const { reason, smtpCode, enhancedStatus } = classifyDeliveryFailure(lastError);
    return this.emit(row.workspaceId, 'delivery.failed', `${row.id}.g${row.generation}`, {
      outboxId: row.id,
      key: row.key,
      template: row.template,
      stepKey: row.stepKey,
      stepKind: row.kind,
      quarterId: row.quarterId,
      pilotId: row.pilotId,
      participantId: row.participantId,
      memberId: row.memberId,
      attempts: row.attempts,
      reason,
      smtpCode,
      enhancedStatus,
    });
  }

  /**
   * A participant is being erased (in the erasing transaction): the announcements of their failed mail
   * keep the outbox id and the category, not the person; a reason that is not a category becomes `erased`.
   */
  forgetErasedParticipant(
    workspaceId: string,
    participantId: string,
    erased: string,
    manager: EntityManager,
  ): Promise<void> {
    return this.store.forgetErasedParticipant(workspaceId, participantId, erased, manager);
  }

  /** An erased person's mail rows were cleared from Redis: what was announced of them names no one. */
  forgetErasedMail(outboxIds: string[], manager: EntityManager): Promise<void> {
    return this.store.forgetErasedMail(outboxIds, manager);
  }

  /** Retention: finished deliveries last changed before `cutoff`, up to `limit`; how many went. */
  purgeFinished(cutoff: Date, limit: number): Promise<number> {
    return this.store.purgeFinished(cutoff, limit);
  }
}

const endpointView = (endpoint: WebhookEndpoint): WebhookEndpointView => ({
  id: endpoint.id,
  url: endpoint.url,
  events: endpoint.events,
  active: endpoint.active,
  description: endpoint.description,
  previousSecretExpiresAt: endpoint.previousSecret ? endpoint.previousSecretExpiresAt : null,
  createdAt: endpoint.createdAt,
});

const deliveryView = (row: WebhookDelivery): WebhookDeliveryView => ({
  id: row.id,
  endpointId: row.endpointId,
  event: row.event,
  status: row.status,
  attempts: row.attempts,
  responseStatus: row.responseStatus,
  responseMs: row.responseMs,
  lastError: row.lastError,
  payload: row.payload,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  sentAt: row.sentAt,
});
