/** How long a kind of row is kept once its use is over; the daily run deletes what is older. */
export interface RetentionRule {
  /** The table, as docs/operations.md lists it. */
  table: string;
  /** What the period counts from, in words for the docs and the run's record. */
  after: string;
  days: number;
}

/**
 * The retention periods (docs/operations.md, "Retention"). What is not listed is kept: audit events
 * (the record of who did what), unsubscribe tokens (a link in an old mail must still unsubscribe),
 * reports, answers and people until the coach deletes or erases them.
 */
export const RETENTION_RULES = {
  outboxMessages: {
    table: 'outbox_message',
    after: 'its due date, once sent, failed or suppressed',
    days: 400,
  },
  webhookDeliveries: { table: 'webhook_delivery', after: 'its last attempt, once sent or failed', days: 90 },
  checkInTokens: { table: 'check_in_token', after: 'it expired, used or not', days: 30 },
  planningTokens: { table: 'planning_token', after: 'it expired', days: 30 },
  credentialTokens: { table: 'credential_token', after: 'it expired (sessions, invitations)', days: 30 },
  reportShares: { table: 'report_share', after: 'it expired, revoked or not', days: 30 },
} as const satisfies Record<string, RetentionRule>;

export type RetentionRuleName = keyof typeof RETENTION_RULES;

/** Rows deleted per statement: short transactions, so sending and answering never wait long on a purge. */
export const RETENTION_BATCH = 5000;
