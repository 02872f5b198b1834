/**
 * Domain errors carry no HTTP types; the API maps each kind to a status and a problem+json body.
 */
export interface InputIssue {
  /** The field (or CSV column) at fault, e.g. `email`, `charter.decisionDate`. */
  field: string;
  reason: string;
  /** The 1-based line of an uploaded file, where the input was a file. */
  line?: number;
}

export abstract class DomainError extends Error {
  override name = this.constructor.name;
}

/**
 * A failure worth trying again (a mail server's 4xx, a webhook receiver that did not answer, a row
 * another worker holds): processors let it through so BullMQ retries the job with backoff. Not an HTTP
 * error; what fails for good is recorded on its row instead of thrown.
 */
export class RetryableError extends Error {
  override name = this.constructor.name;
}

/** The record does not exist for the caller: absent, or in another workspace, or not granted. */
export class NotFoundError extends DomainError {
  constructor(readonly entity: string) {
    super(`No such ${entity}.`);
  }
}

/** The request is well-formed but the record's current state forbids it. */
export class ConflictError extends DomainError {
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The input breaks a rule; nothing was changed. */
export class InvalidInputError extends DomainError {
  constructor(
    message: string,
    readonly issues: InputIssue[],
  ) {
    super(message);
  }
}

/**
 * An import over what a workspace whose sign-up address is not confirmed may hold
 * (`UNCONFIRMED_IMPORT_LIMIT`): refused whole, nothing stored, until the address is confirmed.
 */
export class UnconfirmedImportLimitError extends InvalidInputError {
  constructor(
    readonly limit: number,
    field: string,
    reason: string,
  ) {
    super(
      `Confirm the workspace's sign-up address first: until it is confirmed the workspace may import at most ${limit} participants, per import and in total. The link is in the mail sent at sign-up; the account page mails a new one.`,
      [{ field, reason }],
    );
  }
}

export class ForbiddenError extends DomainError {}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'A valid bearer token is required.') {
    super(message);
  }
}
