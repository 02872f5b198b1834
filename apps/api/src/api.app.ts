import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { ApiModule, ApiOptions } from './api.module';
import { validationPipe } from './common/validation';
import { ProblemDto } from './common/openapi';

export const API_PREFIX = 'api/v1';
const CSV_LIMIT = '20mb';

/** Builds the API application: used by main.ts and by the end-to-end tests alike. */
export async function createApiApp(options: ApiOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(options), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.use(helmet());
  app.set('trust proxy', 'loopback');
  // No ETags: nothing here is served for caching (participant pages say no-store), and hashing every
  // response body costs each request.
  app.set('etag', false);
  app.useBodyParser('json', { limit: '1mb' });
  // CSV uploads arrive as raw bytes so the importer can reject files that are not UTF-8.
  app.useBodyParser('raw', { type: ['text/csv', 'application/csv'], limit: CSV_LIMIT });
  // RFC 8058 one-click unsubscribe posts a form.
  app.useBodyParser('urlencoded', { extended: false, limit: '16kb' });
  app.setGlobalPrefix(API_PREFIX, {
    // Operations, participant pages and the development inbox live outside the API's path.
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'u/:token', method: RequestMethod.ALL },
      { path: 'r/:token', method: RequestMethod.ALL },
      { path: 'c/:token', method: RequestMethod.ALL },
      { path: 's/:token', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      { path: 'admin/session', method: RequestMethod.POST },
      { path: 'admin/queues', method: RequestMethod.ALL },
      { path: 'admin/queues/{*path}', method: RequestMethod.ALL },
      { path: 'dev/inbox', method: RequestMethod.GET },
      { path: 'dev/inbox/:id', method: RequestMethod.GET },
      { path: 'dev/inbox/:id/raw', method: RequestMethod.GET },
      { path: 'dev/inbox/:id/html', method: RequestMethod.GET },
    ],
  });
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
