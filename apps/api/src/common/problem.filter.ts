import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { PARTICIPANT_PAGES, sendFailurePage } from '../participant-pages/error-page';
import { sendConsoleFailure } from '../console/console-failure';
import { CONSOLE_PATH } from '../console/session';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InputIssue,
  InvalidInputError,
  NotFoundError,
  PdfBusyError,
  UnauthenticatedError,
  UnconfirmedImportLimitError,
} from '@luotsi/domain';

/** RFC 9457 problem details, the one error shape of the API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: InputIssue[];
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(status: number, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, ...extra };
}

interface DriverError {
  code?: string;
  constraint?: string;
  column?: string;
  detail?: string;
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * A database refusal of a value, as a 422 naming the column (camelCased, as the API names fields) where
 * PostgreSQL names one, and the constraint as 409s do; never the SQL or the value.
 */
function invalid(error: DriverError, reason: string): Problem {
  const field = error.column ? camel(error.column) : 'body';
  const constraint = error.constraint ? { constraint: error.constraint } : {};
  return problem(422, `A value ${reason}; nothing was changed.`, {
    errors: [{ field, reason }],
    ...constraint,
  });
}

/**
 * What a log may keep of a failure: its kind, message, stack and the database's codes. Not a query's
 * parameters, nor the driver's `detail` ("Key (email)=(…)"), nor a body: they carry people's names and
 * addresses.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const driver = (error as { driverError?: DriverError }).driverError ?? (error as DriverError);
  const codes = Object.fromEntries(
    (['code', 'constraint', 'column'] as const)
      .filter((key) => typeof driver[key] === 'string')
      .map((key) => [key, driver[key]]),
  );
  return { type: error.name, message: error.message, stack: error.stack, ...codes };
}

/** Maps domain errors, Nest's HTTP errors and database constraint errors to problem+json. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const body = {
      ...this.toProblem(exception),
      instance: request.originalUrl?.split('?')[0],
      requestId: request.id,
    };
    // A busy PDF printer is a refusal the reader is told to retry, not a failure to look into.
    if (body.status >= 500 && !(exception instanceof PdfBusyError))
      this.logger.error({ err: loggableError(exception), requestId: request.id }, 'request failed');
    if (body.status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    if (exception instanceof PdfBusyError)
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    // Participants see pages, not JSON: an error on their routes is the participant error page too.
    if (PARTICIPANT_PAGES.test(request.path ?? '')) return sendFailurePage(response, body.status);
    // The console's people see pages too, in their language; a lost session leads to sign-in.
    if (CONSOLE_PATH.test(request.path ?? '')) return sendConsoleFailure(request, response, body.status);
    response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof DomainError) return this.fromDomain(exception);
    if (exception instanceof HttpException) return this.fromHttp(exception);
    if (exception instanceof QueryFailedError) return this.fromDatabase(exception);
    const status = (exception as { status?: number; statusCode?: number })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // body-parser errors (malformed JSON, body too large) carry a status of their own.
      const reason = status === 400 ? 'is not valid JSON' : status === 413 ? 'is too large' : undefined;
      return problem(
        status,
        status === 400 ? 'The request body is not valid JSON.' : (exception as Error).message,
        reason ? { errors: [{ field: 'body', reason }] } : {},
      );
    }
    return problem(500, 'Something went wrong on our side; the request changed nothing it could not finish.');
  }

  private fromDomain(error: DomainError): Problem {
    if (error instanceof NotFoundError) return problem(404, error.message);
    if (error instanceof UnconfirmedImportLimitError)
      return problem(422, error.message, { errors: error.issues, limit: error.limit });
    if (error instanceof InvalidInputError) return problem(422, error.message, { errors: error.issues });
    if (error instanceof ConflictError) return problem(409, error.message, error.details);
    if (error instanceof ForbiddenError) return problem(403, error.message);
    if (error instanceof UnauthenticatedError) return problem(401, error.message);
    if (error instanceof PdfBusyError) return problem(503, error.message);
    return problem(400, error.message);
  }

  private fromHttp(error: HttpException): Problem {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : Array.isArray((response as { message?: unknown }).message)
          ? (response as { message: string[] }).message.join('; ')
          : String((response as { message?: unknown }).message ?? error.message);
    if (status === HttpStatus.NOT_FOUND) return problem(404, 'No such resource.');
    // A body over its parser's limit (a JSON body, or an imported file) reaches here wrapped by Nest.
    if (status === HttpStatus.PAYLOAD_TOO_LARGE)
      return problem(413, message, { errors: [{ field: 'body', reason: 'is too large' }] });
    if (error.cause instanceof SyntaxError)
      return problem(400, `The request body is not valid JSON: ${error.cause.message}`, {
        errors: [{ field: 'body', reason: 'is not valid JSON' }],
      });
    return problem(status, message);
  }

  private fromDatabase(error: QueryFailedError): Problem {
    const driverError = error.driverError as DriverError;
    switch (driverError.code) {
      case '23505':
        return problem(409, 'A record with the same unique value already exists.', {
          constraint: driverError.constraint,
        });
      case '23503':
        return problem(409, 'The record is referenced by, or refers to, another record.', {
          constraint: driverError.constraint,
        });
      // Input the validation layer should have refused: 422 naming the column where PostgreSQL names one,
      // never the SQL or the value.
      case '22P02':
      case '22007':
      case '22008':
      case '22003':
        return invalid(driverError, 'has the wrong format or is out of range');
      case '22021':
        return invalid(driverError, 'contains bytes that are not valid text (such as NUL)');
      case '22001':
        return invalid(driverError, 'is too long');
      case '23502':
        return invalid(driverError, 'is required');
      case '23514':
        return invalid(driverError, 'breaks a rule of the record');
      case '40001':
      case '40P01':
        return problem(409, 'The record was changed at the same time by another request; try again.');
      default:
        return problem(
          500,
          'Something went wrong on our side; the request changed nothing it could not finish.',
        );
    }
  }
}
