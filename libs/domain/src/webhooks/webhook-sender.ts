import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@luotsi/config';
import type { WebhookDelivery, WebhookEndpoint } from '@luotsi/database';
import { JobProducer } from '@luotsi/queue';
import { RetryableError } from '../common/errors';
import { EgressResult, WebhookEgress } from './webhook-egress';
import { openWebhookSecret } from './webhook-secret-box';
import {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  signatureDigest,
  signWebhook,
} from './webhook-signature';
import { WebhookDeliveryPatch, WebhooksStore } from './webhooks.store';

export type WebhookOutcome = 'sent' | 'failed' | 'skipped';

/** A non-2xx answer or no answer in time: the job is retried with backoff. */
export class WebhookAttemptError extends RetryableError {}

/**
 * Sends one delivery row to its endpoint: the stored payload in an envelope, signed afresh for each
 * attempt, through `WebhookEgress` (public addresses only, checked at each attempt). A 2xx records it
 * sent; anything else is recorded and thrown so BullMQ retries, until the last attempt records it
 * failed; a refused target fails at once. Redirects are not followed: the registered URL is the
 * receiver. Only the status and the time to it are kept, never what the receiver wrote.
 */
@Injectable()
export class WebhookSender {
  private readonly logger = new Logger(WebhookSender.name);

  constructor(
    private readonly store: WebhooksStore,
    private readonly producer: JobProducer,
    private readonly config: AppConfig,
    private readonly egress: WebhookEgress,
  ) {}

  async deliver(
    deliveryId: string,
    generation: number,
    attempt: { final: boolean },
  ): Promise<WebhookOutcome> {
    const row = await this.store.delivery(deliveryId);
    // Done already, or queued anew under another generation (whose own job will send it).
    if (!row || row.status !== 'pending' || row.generation !== generation) return 'skipped';
    const endpoint = await this.store.endpointOf(row);
    if (!endpoint) return 'skipped';
    if (!endpoint.active) {
      await this.record(row, { status: 'failed', lastError: 'the endpoint is inactive' });
      return 'failed';
    }
    row.attempts += 1;
    await this.record(row, { attempts: row.attempts });

    const body = JSON.stringify({
      id: row.id,
      event: row.event,
      createdAt: row.createdAt.toISOString(),
      data: row.payload,
    });
    // Wall-clock time, not the app's clock: receivers compare it with their own to refuse replays.
    const now = Date.now();
    let signature: string;
    try {
      signature = this.signature(endpoint, body, now);
    } catch {
      // Sealed under another key: no attempt could be signed, so none is made.
      await this.record(row, {
        status: 'failed',
        lastError: 'the endpoint secret cannot be decrypted with WEBHOOK_SECRET_KEY',
      });
      this.logger.error(`webhook endpoint ${endpoint.id}: secret cannot be decrypted`);
      return 'failed';
    }
    const result = await this.egress.post(
      endpoint.url,
      {
        'Content-Type': 'application/json',
        'User-Agent': 'Luotsi-Webhooks/1',
        [SIGNATURE_HEADER]: signature,
        [EVENT_HEADER]: row.event,
        [DELIVERY_HEADER]: row.id,
      },
      body,
    );
    const responseStatus = result.kind === 'answered' ? result.status : null;
    const responseMs = result.kind === 'answered' ? result.ms : null;
    if (result.kind === 'answered' && result.status >= 200 && result.status < 300) {
      await this.record(row, {
        status: 'sent',
        responseStatus,
        responseMs,
        lastError: null,
        sentAt: new Date(),
      });
      return 'sent';
    }
    const problem = describe(result, this.config.webhooks.timeoutMs);
    // A refused target fails at once: no connection was made, and one is not to be tried again.
    if (attempt.final || result.kind === 'refused') {
      await this.record(row, {
        status: 'failed',
        responseStatus,
        responseMs,
        lastError: attempt.final ? `gave up after ${row.attempts} attempts: ${problem}` : problem,
      });
      this.logger.warn(`webhook delivery ${row.id} failed: ${problem}`);
      return 'failed';
    }
    await this.record(row, { responseStatus, responseMs, lastError: problem });
    throw new WebhookAttemptError(problem);
  }

  /**
   * `t={unix seconds},v1={current}`, and while a rotated-out secret is in its overlap window a second
   * `v1` with that one, so receivers still holding the old secret keep verifying.
   */
  private signature(endpoint: WebhookEndpoint, body: string, now: number): string {
    const key = this.config.webhooks.secretKey;
    const timestamp = Math.floor(now / 1000);
    const header = signWebhook(openWebhookSecret(endpoint.secret, key), body, timestamp);
    if (!endpoint.previousSecret || !endpoint.previousSecretExpiresAt) return header;
    if (endpoint.previousSecretExpiresAt.getTime() <= now) return header;
    const previous = signatureDigest(openWebhookSecret(endpoint.previousSecret, key), timestamp, body);
    return `${header},v1=${previous}`;
  }

  /**
   * Gives a new job to pending deliveries untouched for a while whose job Redis no longer holds (lost
   * with Redis, or never enqueued because the process died right after the insert).
   */
  async sweep(): Promise<number> {
    const requeued = await this.store.requeueLost(this.producer, this.config.cadence.requeueAfterMs);
    if (requeued) this.logger.log(`re-queued ${requeued} webhook deliveries`);
    return requeued;
  }

  private record(row: WebhookDelivery, patch: WebhookDeliveryPatch): Promise<void> {
    return this.store.recordAttempt(row, patch);
  }
}

/** The last attempt in words a receiver's owner can act on; none of them come from the receiver. */
function describe(result: EgressResult, timeoutMs: number): string {
  switch (result.kind) {
    case 'answered':
      return `HTTP ${result.status} after ${result.ms} ms`;
    case 'refused':
      return `target refused: ${result.reason}; webhooks go to public addresses only`;
    case 'timeout':
      return `no answer within ${timeoutMs} ms`;
    case 'unresolved':
      return 'the host name did not resolve';
    case 'no-connection':
      return `no connection after ${result.ms} ms`;
  }
}
