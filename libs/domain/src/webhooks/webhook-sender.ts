import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@luotsi/config';
import type { WebhookDelivery } from '@luotsi/database';
import { JobProducer } from '@luotsi/queue';
import { RetryableError } from '../common/errors';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook } from './webhook-signature';
import { WebhookDeliveryPatch, WebhooksStore } from './webhooks.store';

export type WebhookOutcome = 'sent' | 'failed' | 'skipped';

/** A non-2xx answer or no answer in time: the job is retried with backoff. */
export class WebhookAttemptError extends RetryableError {}

/**
 * Sends one delivery row to its endpoint: the stored payload in an envelope, signed afresh for each
 * attempt. A 2xx records it sent; anything else is recorded and thrown so BullMQ retries, until the
 * last attempt records it failed. Redirects are not followed: the registered URL is the receiver.
 */
@Injectable()
export class WebhookSender {
  private readonly logger = new Logger(WebhookSender.name);

  constructor(
    private readonly store: WebhooksStore,
    private readonly producer: JobProducer,
    private readonly config: AppConfig,
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
    const timestamp = Math.floor(Date.now() / 1000);
    let responseStatus: number | null = null;
    let problem: string;
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Luotsi-Webhooks/1',
          [SIGNATURE_HEADER]: signWebhook(endpoint.secret, body, timestamp),
          [EVENT_HEADER]: row.event,
          [DELIVERY_HEADER]: row.id,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.webhooks.timeoutMs),
      });
      responseStatus = response.status;
      const text = await response.text().catch(() => '');
      if (response.ok) {
        await this.record(row, {
          status: 'sent',
          responseStatus,
          lastError: null,
          sentAt: new Date(),
        });
        return 'sent';
      }
      problem = `HTTP ${response.status}${text ? `: ${text.slice(0, 300)}` : ''}`;
    } catch (error) {
      const failure = error as Error & { cause?: { code?: string; message?: string } };
      problem =
        failure.name === 'TimeoutError'
          ? `no answer within ${this.config.webhooks.timeoutMs} ms`
          : (failure.cause?.code ?? failure.cause?.message ?? failure.message);
    }
    if (attempt.final) {
      await this.record(row, {
        status: 'failed',
        responseStatus,
        lastError: `gave up after ${row.attempts} attempts: ${problem}`.slice(0, 1000),
      });
      this.logger.warn(`webhook delivery ${row.id} failed: ${problem}`);
      return 'failed';
    }
    await this.record(row, { responseStatus, lastError: problem.slice(0, 1000) });
    throw new WebhookAttemptError(problem);
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
