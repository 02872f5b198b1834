import {
  CanActivate,
  ExecutionContext,
  Injectable,
  NestMiddleware,
  SetMetadata,
  applyDecorators,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import type { MemberRole } from '@luotsi/database';
import type { Member } from '@luotsi/database';
import { Actor, AuthService, ForbiddenError, TenantContext, UnauthenticatedError } from '@luotsi/domain';
import { CONSOLE_PATH, sessionToken } from '../console/session';

const PUBLIC = 'luotsi:public';
const ROLES = 'luotsi:roles';

/** A route anyone may call (sign-up, login, accepting an invitation). */
export const Public = () => SetMetadata(PUBLIC, true);

/** Only these roles may call the route; others get 403. */
export const Roles = (...roles: MemberRole[]) => SetMetadata(ROLES, roles);

/** Marks a controller as needing a bearer token, in code and in the OpenAPI document. */
export const Authenticated = () =>
  applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No or invalid bearer token' }),
    ApiForbiddenResponse({ description: 'The role may not do this' }),
  );

export const bearerToken = (request: Request): string | null => {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match ? match[1] : null;
};

/**
 * Resolves the bearer token (or, under /app only, the console's session cookie: the same token) to an
 * actor and runs the rest of the request inside the tenant context, so every service call made for this
 * request is scoped to the caller's workspace. The JSON API never reads the cookie, so it needs no CSRF
 * defence.
 */
@Injectable()
export class TenantMiddleware implements NestMiddleware {
  constructor(
    private readonly auth: AuthService,
    private readonly context: TenantContext,
  ) {}

  async use(
    request: Request & { actor?: Actor; member?: Member },
    _response: Response,
    next: NextFunction,
  ): Promise<void> {
    const token =
      bearerToken(request) ?? (CONSOLE_PATH.test(request.originalUrl) ? sessionToken(request) : null);
    if (!token) return next();
    try {
      const { actor, member } = await this.auth.authenticate(token);
      request.actor = actor;
      request.member = member;
      this.context.run(actor, () => next());
    } catch (error) {
      if (error instanceof UnauthenticatedError) return next();
      next(error);
    }
  }
}

/**
 * Every route needs an actor unless @Public; sponsors only read, except where @Roles names them (their
 * decision on a readiness report); @Roles narrows further.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const actor = request.actor;
    if (!actor) throw new UnauthenticatedError();
    const roles = this.reflector.getAllAndOverride<MemberRole[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(actor.role as MemberRole))
      throw new ForbiddenError(`This needs the role ${roles.join(' or ')}.`);
    if (
      actor.role === 'sponsor' &&
      !roles?.includes('sponsor') &&
      !['GET', 'HEAD'].includes(request.method)
    ) {
      throw new ForbiddenError('Sponsors can read but not change records.');
    }
    return true;
  }
}

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<{ actor?: Actor }>().actor;
  if (!actor) throw new UnauthenticatedError();
  return actor;
});
