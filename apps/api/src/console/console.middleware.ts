import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { AppConfig } from '@luotsi/config';
import { sendConsoleFailure } from './console-failure';
import { hasValidCsrfToken, isCrossOrigin } from './session';

/** Participant files as coaches save them (the API's CSV limit). */
const UPLOAD_LIMIT = 20 * 1024 * 1024;
const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: UPLOAD_LIMIT, files: 1 },
}).single('file');

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Requests already checked: the middleware is bound to both `app` and `app/{*path}`, and a second run
 * would read an upload's body again, which is gone by then.
 */
const checked = new WeakSet<Request>();

/**
 * Every unsafe console request must come from the console's own pages: same origin, and the form's
 * CSRF token (or htmx's header) matching the session. File uploads are parsed first so their token can
 * be read; nothing else runs for a refused request.
 */
@Injectable()
export class ConsoleMiddleware implements NestMiddleware {
  constructor(private readonly config: AppConfig) {}

  use(request: Request, response: Response, next: NextFunction): void {
    if (SAFE.has(request.method) || checked.has(request)) return next();
    checked.add(request);
    const secure = this.config.isProduction;
    const check = () => {
      if (isCrossOrigin(request) || !hasValidCsrfToken(request))
        return sendConsoleFailure(request, response, 403, { csrf: true, secure });
      next();
    };
    if (!request.is('multipart/form-data')) return check();
    // Only members upload files: nobody else gets 20 MB read into memory.
    if (!(request as Request & { actor?: unknown }).actor) return sendConsoleFailure(request, response, 401);
    upload(request, response, (error: unknown) => {
      if (error)
        return sendConsoleFailure(request, response, error instanceof multer.MulterError ? 413 : 400);
      check();
    });
  }
}
