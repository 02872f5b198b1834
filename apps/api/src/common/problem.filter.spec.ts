import { PayloadTooLargeException, type ArgumentsHost } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { loggableError, ProblemFilter } from './problem.filter';

/** Runs the filter on one error and returns the status and the problem it sent. */
function answer(error: unknown): { status: number; type: string; body: Record<string, unknown> } {
  const sent = { status: 0, type: '', body: {} as Record<string, unknown> };
  const response = {
    setHeader: () => response,
    status: (status: number) => ((sent.status = status), response),
    type: (type: string) => ((sent.type = type), response),
    send: (text: string) => ((sent.body = JSON.parse(text)), response),
  };
  const request = { originalUrl: '/api/v1/organizations', path: '/api/v1/organizations', id: 'r1' };
  const host = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ArgumentsHost;
  new ProblemFilter().catch(error, host);
  return sent;
}

const databaseError = (driverError: Record<string, unknown>) =>
  new QueryFailedError('INSERT INTO "organization" ("name") VALUES ($1)', ['secret value'], {
    message: 'invalid byte sequence for encoding "UTF8": 0x00',
    ...driverError,
  } as unknown as Error);

describe('ProblemFilter: database refusals of a value are 422, never 500, and never show SQL', () => {
  it.each([
    ['22021', { column: undefined }, 'body', 'contains bytes that are not valid text (such as NUL)'],
    ['23502', { column: 'time_zone' }, 'timeZone', 'is required'],
    ['23514', { constraint: 'CHK_headcount' }, 'body', 'breaks a rule of the record'],
    ['22001', {}, 'body', 'is too long'],
    ['22P02', {}, 'body', 'has the wrong format or is out of range'],
  ])('maps %s to 422 naming the field', (code, extra, field, reason) => {
    const { status, type, body } = answer(databaseError({ code, ...extra }));
    expect({ status, type }).toEqual({ status: 422, type: 'application/problem+json' });
    expect(body.errors).toEqual([{ field, reason }]);
    const text = JSON.stringify(body);
    for (const leak of ['INSERT', 'organization"', 'secret value', 'UTF8', '0x00'])
      expect(text).not.toContain(leak);
  });

  it('keeps other database failures a 500 without detail', () => {
    const { status, body } = answer(databaseError({ code: '53300' }));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('INSERT');
  });

  it('names the body when JSON cannot be parsed or is too large', () => {
    expect(answer(Object.assign(new Error('bad'), { status: 400 })).body.errors).toEqual([
      { field: 'body', reason: 'is not valid JSON' },
    ]);
    expect(answer(Object.assign(new Error('request entity too large'), { status: 413 })).body).toMatchObject({
      status: 413,
      errors: [{ field: 'body', reason: 'is too large' }],
    });
    // As Nest hands on a body parser's refusal of a body over its limit (JSON or an imported file).
    expect(answer(new PayloadTooLargeException('request entity too large')).body).toMatchObject({
      status: 413,
      errors: [{ field: 'body', reason: 'is too large' }],
    });
  });
});

describe('loggableError: what a 5xx log keeps', () => {
  it('keeps the kind, message and codes of a database failure, never its parameters or detail', () => {
    const error = databaseError({
      code: '23505',
      constraint: 'participant_email_key',
      detail: 'Key (email)=(matti.virtanen@example.fi) already exists.',
    });
    const logged = loggableError(error);
    expect(logged).toMatchObject({
      type: 'QueryFailedError',
      code: '23505',
      constraint: 'participant_email_key',
    });
    const text = JSON.stringify(logged);
    expect(text).not.toContain('secret value');
    expect(text).not.toContain('matti.virtanen@example.fi');
    expect(text).not.toContain('INSERT INTO');
  });

  it('names what is not an Error by its type only', () => {
    expect(loggableError({ email: 'a@b.fi' })).toEqual({ type: 'object' });
  });
});
