import { CallHandler, ExecutionContext, Injectable, mixin, NestInterceptor, Type } from '@nestjs/common';
import { raw } from 'body-parser';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';

/**
 * An interceptor that reads the body as raw bytes (of the given content types, up to `limit`) once the
 * guards have let the request through: routes that take large or unusual bodies buffer nothing for a
 * caller who is not allowed in. A body over the limit is 413, naming `body`.
 */
export function rawBodyReader(types: string[], limit: string): Type<NestInterceptor> {
  @Injectable()
  class RawBodyReader implements NestInterceptor {
    private readonly parse = raw({ type: types, limit });

    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      const http = context.switchToHttp();
      await new Promise<void>((resolve, reject) =>
        this.parse(http.getRequest<Request>(), http.getResponse<Response>(), (error?: unknown) =>
          error ? reject(error) : resolve(),
        ),
      );
      return next.handle();
    }
  }
  return mixin(RawBodyReader);
}
