import type { TestApi } from './api';

export type Operation = { method: string; path: string; public: boolean };

/** Every operation of the OpenAPI document, so a new route cannot escape a walk over them. */
export async function operations(api: TestApi): Promise<Operation[]> {
  const doc = (await api.http.get('/docs-json').expect(200)).body;
  return Object.entries(doc.paths as Record<string, Record<string, { security?: unknown[] }>>).flatMap(
    ([path, item]) =>
      Object.entries(item)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, op]) => ({ method: method.toUpperCase(), path, public: !op.security })),
  );
}

/** Real records to put in a walk's paths, one per kind of `{id}` (named by the segment before it). */
export interface WalkIds {
  member?: string;
  organization?: string;
  rollout?: string;
  pilot?: string;
  quarter?: string;
  participant?: string;
  heartbeat?: string;
  questionSet?: string;
  objective?: string;
  keyResult?: string;
  learningNote?: string;
  reportShare?: string;
  webhook?: string;
  learningReport?: string;
  readinessReport?: string;
  retrospective?: string;
  planningEntry?: string;
}

/** The collection segment before `{id}` in a path, and the kind of record it names. */
export const ID_SEGMENTS: Record<string, keyof WalkIds> = {
  members: 'member',
  organizations: 'organization',
  rollouts: 'rollout',
  pilots: 'pilot',
  quarters: 'quarter',
  participants: 'participant',
  'question-sets': 'questionSet',
  objectives: 'objective',
  'key-results': 'keyResult',
  'learning-notes': 'learningNote',
  'report-shares': 'reportShare',
  webhooks: 'webhook',
  'learning-reports': 'learningReport',
  'readiness-reports': 'readinessReport',
  retrospectives: 'retrospective',
  'planning-entries': 'planningEntry',
};

/**
 * A concrete URL for an OpenAPI path: each `{id}` replaced by the record of the kind its collection
 * names (`/quarters/{id}` → `ids.quarter`), `{participantId}` by the participant, a heartbeat's
 * `{key}`, a template's `{name}/{locale}`, and `.{format}` by `format`. A parameter it cannot fill stays
 * in braces, so a caller can fail on it (a new route must not slip through a walk unresolved).
 */
export function fillPath(path: string, ids: WalkIds, format = 'csv'): string {
  return path
    .replace(/\/([\w-]+)\/\{id\}/g, (whole, segment: string) => {
      const kind = ID_SEGMENTS[segment];
      const id = kind ? ids[kind] : undefined;
      return id ? `/${segment}/${id}` : whole;
    })
    .replace('{participantId}', ids.participant ?? '{participantId}')
    .replace('/heartbeats/{key}', ids.heartbeat ? `/heartbeats/${ids.heartbeat}` : '/heartbeats/{key}')
    .replace('/cadence/steps/{key}/', '/cadence/steps/kickoff/')
    .replace('/templates/{name}/{locale}', '/templates/prompt-kickoff/fi')
    .replace('.{format}', `.${format}`);
}
