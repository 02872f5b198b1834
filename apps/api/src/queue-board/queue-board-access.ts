import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AuthService, UnauthenticatedError } from '@luotsi/domain';
import { bearerToken } from '../common/auth';
import { problem } from '../common/problem.filter';

export const QUEUE_BOARD_ROUTE = '/admin/queues';
/** Holds an owner's bearer token for the board only (a browser cannot send a bearer header itself). */
export const QUEUE_BOARD_COOKIE = 'luotsi_queue_board';

export function cookieValue(request: Request, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return null;
}

/**
 * Lets owners, and only owners, reach Bull Board: by bearer header (scripts, curl) or by the cookie
 * that `POST /admin/session` sets. The token is checked on every request, so logging out or losing the
 * owner role closes the board at once.
 */
@Injectable()
export class QueueBoardAccess implements NestMiddleware {
  constructor(private readonly auth: AuthService) {}

  async use(request: Request, response: Response, next: NextFunction): Promise<void> {
    const token = bearerToken(request) ?? cookieValue(request, QUEUE_BOARD_COOKIE);
    if (!token)
      return refuse(response, 401, 'The queue board needs an owner: a bearer token or a board session.');
    try {
      const { actor } = await this.auth.authenticate(token);
      if (actor.role !== 'owner') return refuse(response, 403, 'Only owners may see the queue board.');
    } catch (error) {
      if (error instanceof UnauthenticatedError) return refuse(response, 401, error.message);
      return next(error);
    }
    next();
  }
}

function refuse(response: Response, status: 401 | 403, detail: string): void {
  if (status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
  response.status(status).type('application/problem+json').send(problem(status, detail));
}
