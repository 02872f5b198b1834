import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '@luotsi/config';
import { ApiModule, ApiOptions } from './api.module';
import { answerClientErrors } from './common/client-errors';
import { validationPipe } from './common/validation';
import { ProblemDto } from './common/openapi';

export const API_PREFIX = 'api/v1';

const routes = (method: RequestMethod, ...paths: string[]) => paths.map((path) => ({ path, method }));

/** Operations, participant pages, the queue board and the development inbox live outside the API's path. */
const OUTSIDE_API_PREFIX = [
  ...routes(RequestMethod.GET, 'health', 'metrics'),
  // Retrospective, check-in and unsubscribe pages take any method; a shared report is only read.
  ...routes(RequestMethod.ALL, 'r/:token', 'c/:token', 'p/:token', 'u/:token'),
  ...routes(RequestMethod.GET, 's/:token'),
  ...routes(RequestMethod.POST, 'admin/session'),
  ...routes(RequestMethod.ALL, 'admin/queues', 'admin/queues/{*path}'),
  // The console: pages under /app.
  ...routes(RequestMethod.ALL, 'app', 'app/{*path}'),
  ...routes(RequestMethod.GET, 'dev/inbox', 'dev/inbox/:id', 'dev/inbox/:id/raw', 'dev/inbox/:id/html'),
  ...routes(RequestMethod.ALL, 'dev/clock'),
];

/** Builds the API application: used by main.ts and by the end-to-end tests alike. */
export async function createApiApp(options: ApiOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(options), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  answerClientErrors(app.getHttpServer());
  app.use(helmet());
  // Whose X-Forwarded-For names the client (TRUST_PROXY): the per-address limits count by it.
  app.set('trust proxy', app.get(AppConfig).trustProxy);
  // No ETags: nothing here is served for caching (participant pages say no-store), and hashing every
  // response body costs each request.
  app.set('etag', false);
  app.useBodyParser('json', { limit: '1mb' });
  // Imported files and returned messages are read by their routes themselves, after authentication
  // (`rawBodyReader`), so no one can make the API buffer megabytes on any other route, or unauthenticated.
  // RFC 8058 one-click unsubscribe posts a form.
  app.useBodyParser('urlencoded', { extended: false, limit: '16kb' });
  app.setGlobalPrefix(API_PREFIX, { exclude: OUTSIDE_API_PREFIX });
  app.useGlobalPipes(validationPipe());
  setUpOpenApi(app);
  return app;
}

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Luotsi API')
    .setDescription(
      'Staged OKR roll-outs: organizations, rollouts, pilot groups moving through quarters, and their participants. ' +
        'Errors are RFC 9457 problem+json with the offending fields.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto] });
}

function setUpOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => openApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
