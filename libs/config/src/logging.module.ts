import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from './app-config';

/**
 * Participant links carry secrets in the path (/r/{token}) and query values may carry names and emails
 * (`?search=`): logs keep only the route's shape and the names of the query's parameters.
 */
export const redactUrl = (url: string | undefined): string => {
  const [path, query] = splitQuery(url ?? '');
  const shape = path
    .replace(/^\/(r|c|u|s)\/[^/?#]+/, '/$1/[token]')
    .replace(/^\/app\/invitations\/[^/?#]+/, '/app/invitations/[token]');
  if (query === undefined) return shape;
  const names = query
    .split('&')
    .filter(Boolean)
    .map((pair) =>
      pair
        .split('=', 1)[0]
        .replace(/[^A-Za-z0-9_.[\]-]/g, '')
        .slice(0, 40),
    );
  return `${shape}?${names.join('&')}`;
};

const splitQuery = (url: string): [string, string | undefined] => {
  const at = url.search(/[?#]/);
  if (at < 0) return [url, undefined];
  return [url.slice(0, at), url[at] === '?' ? url.slice(at + 1).split('#', 1)[0] : undefined];
};

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** JSON logs with a request id (taken from X-Request-Id when sane), no secrets. */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            genReqId: (request: IncomingMessage, response) => {
              const given = request.headers['x-request-id'];
              const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
              response.setHeader('X-Request-Id', id);
              return id;
            },
            redact: {
              paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
              censor: '[redacted]',
            },
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                url: redactUrl(req.url),
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            autoLogging: { ignore: (request: IncomingMessage) => request.url === '/health' },
          },
        }),
      ],
    };
  }
}
