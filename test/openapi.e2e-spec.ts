import SwaggerParser from '@apidevtools/swagger-parser';
import { startApi, TestApi } from './support/api';

/** The content type of an Excel workbook, as written out here (not read from the code under test). */
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('the OpenAPI document', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('is a valid OpenAPI 3 document at /docs-json', async () => {
    const res = await api.http.get('/docs-json').expect(200).expect('Content-Type', /json/);
    expect(res.body.openapi).toMatch(/^3\./);
    // validate() throws with the first schema violation; it also resolves every $ref.
    const validated = await SwaggerParser.validate(structuredClone(res.body));
    expect(Object.keys(validated.paths ?? {})).toEqual(
      expect.arrayContaining([
        '/api/v1/workspaces',
        '/api/v1/auth/login',
        '/api/v1/organizations',
        '/api/v1/rollouts/{id}/pilots',
        '/api/v1/pilots/{id}/advance',
        '/api/v1/pilots/{id}/participants/import',
        '/api/v1/audit-log',
        '/api/v1/retrospectives/{id}/responses',
        '/api/v1/retrospectives/{id}/non-responders',
        '/health',
      ]),
    );
    // The coach's routes about people say when they refuse: 403 for sponsors, 409 by anonymity mode.
    for (const path of [
      '/api/v1/retrospectives/{id}/responses',
      '/api/v1/retrospectives/{id}/non-responders',
    ]) {
      expect(Object.keys(res.body.paths[path].get.responses)).toEqual(
        expect.arrayContaining(['200', '401', '403', '409']),
      );
    }
    const remind = res.body.paths['/api/v1/retrospectives/{id}/remind'].post;
    expect(Object.keys(remind.responses)).toEqual(expect.arrayContaining(['200', '409', '422']));
    expect(remind.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/RemindDto');
    const importOp = res.body.paths['/api/v1/pilots/{id}/participants/import'].post;
    expect(Object.keys(importOp.requestBody.content)).toEqual([
      'text/csv',
      'application/csv',
      'text/plain',
      'text/tab-separated-values',
      XLSX,
      'application/octet-stream',
    ]);
    expect(importOp.requestBody.content['text/csv'].examples.csv.value).toMatch(/^email,name/);
    expect(importOp.requestBody.content[XLSX].schema).toEqual({ type: 'string', format: 'binary' });
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('rejects a document that breaks the schema (the validator is not a no-op)', async () => {
    const res = await api.http.get('/docs-json').expect(200);
    const broken = structuredClone(res.body);
    broken.paths['/api/v1/organizations'].get.responses = {
      '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Missing' } } } },
    };
    await expect(SwaggerParser.validate(broken)).rejects.toThrow();
  });

  it('serves the interactive docs at /docs', async () => {
    const res = await api.http.get('/docs').redirects(1).expect(200);
    expect(res.text).toContain('swagger-ui');
  });
});
