import { Injectable, NestMiddleware } from '@nestjs/common';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '@luotsi/config';
import { AuthService, UnauthenticatedError } from '@luotsi/domain';
import { bearerToken } from '../common/auth';
import { problem } from '../common/problem.filter';

export const QUEUE_BOARD_ROUTE = '/admin/queues';
/** Holds a board session for the board only (a browser cannot send a bearer header itself). */
export const QUEUE_BOARD_COOKIE = 'luotsi_queue_board';
/** How long a board session made by `POST /admin/session` lasts. */
export const QUEUE_BOARD_SESSION_MS = 12 * 3_600_000;

export function cookieValue(request: Request, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return null;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
/** Equal in constant time: both sides are hashed first, so their lengths never leak. */
const same = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

export type BoardRefusal = { status: 401 | 403 | 404; detail: string };

/**
 * The queues are shared by every workspace, so the board (every tenant's job data and failure reasons)
 * is the operator's, not any workspace's: it opens only with OPERATOR_TOKEN, and is closed (404)
 * without one. A board session is `<expiry>.<HMAC of it keyed by OPERATOR_TOKEN>`: the token itself
 * never sits in a browser, and changing the token ends every session.
 */
@Injectable()
export class OperatorAccess {
  constructor(
    private readonly config: AppConfig,
    private readonly auth: AuthService,
  ) {}

  /**
   * Refuses unless the bearer header (or `token`, typed into the console's operator form) is the operator
   * token or, where `cookies` is true, the board cookie is a live session.
   */
  async check(
    request: Request,
    { cookies, token }: { cookies: boolean; token?: string },
  ): Promise<BoardRefusal | null> {
    const operatorToken = this.config.operator.token;
    if (!operatorToken) return { status: 404, detail: 'No such resource.' };
    const bearer = token || bearerToken(request);
    if (bearer !== null && same(bearer, operatorToken)) return null;
    if (cookies && this.isSession(cookieValue(request, QUEUE_BOARD_COOKIE), operatorToken)) return null;
    if (bearer !== null && (await this.isWorkspaceToken(bearer)))
      return {
        status: 403,
        detail:
          "The queue board shows every workspace's jobs, so only the operator token (OPERATOR_TOKEN) opens it, not a workspace's token.",
      };
    return {
      status: 401,
      detail: cookies
        ? 'The queue board needs the operator token (OPERATOR_TOKEN) as a bearer token, or the session POST /admin/session sets.'
        : 'A board session needs the operator token (OPERATOR_TOKEN) as a bearer token.',
    };
  }

  /** A new board session's cookie value; only call after `check` let the operator in. */
  newSession(now = Date.now()): string {
    const expires = String(now + QUEUE_BOARD_SESSION_MS);
    return `${expires}.${this.sign(expires, this.config.operator.token!)}`;
  }

  private isSession(value: string | null, operatorToken: string): boolean {
    const match = value ? /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(value) : null;
    if (!match) return false;
    return same(match[2], this.sign(match[1], operatorToken)) && Number(match[1]) > Date.now();
  }

  private sign(expires: string, operatorToken: string): string {
    return createHmac('sha256', operatorToken)
      .update(`luotsi queue board session ${expires}`)
      .digest('base64url');
  }

  private async isWorkspaceToken(token: string): Promise<boolean> {
    try {
      await this.auth.authenticate(token);
      return true;
    } catch (error) {
      if (error instanceof UnauthenticatedError) return false;
      throw error;
    }
  }
}

/**
 * Bull Board's gate: the operator, by bearer header (scripts, curl) or by the board session cookie.
 * Bull Board's own module builds it, where only global providers resolve: hence no OperatorAccess here.
 */
@Injectable()
export class QueueBoardAccess implements NestMiddleware {
  private readonly access: OperatorAccess;

  constructor(config: AppConfig, auth: AuthService) {
    this.access = new OperatorAccess(config, auth);
  }

  async use(request: Request, response: Response, next: NextFunction): Promise<void> {
    let refusal: BoardRefusal | null;
    try {
      refusal = await this.access.check(request, { cookies: true });
    } catch (error) {
      return next(error);
    }
    if (refusal) return refuse(response, refusal);
    next();
  }
}

export function refuse(response: Response, { status, detail }: BoardRefusal): void {
  if (status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
  response.status(status).type('application/problem+json').send(problem(status, detail));
}
