import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import type { Level } from '@luotsi/database';

/** What a coach sets up through the API before anyone answers: the rows the seeds hang off. */
export interface PilotSkeleton {
  workspaceId: string;
  /** The owner's bearer token. */
  token: string;
  organizationId: string;
  rolloutId: string;
  pilotId: string;
}

export interface QuarterRef {
  id: string;
  number: number;
  label: string;
  state: string;
}

export async function call<T>(
  base: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * A single-use link's token for the member with this email, written straight into the database as the
 * bench seeds its other rows (the API mailed its own link, which the bench does not read).
 */
export async function mintToken(
  db: Client,
  email: string,
  purpose: 'confirmation' | 'invitation',
): Promise<string> {
  const token = `${purpose === 'confirmation' ? 'lcf' : 'lin'}_${randomBytes(32).toString('base64url')}`;
  await db.query(
    `INSERT INTO credential_token (workspace_id, member_id, purpose, token_hash, expires_at)
     SELECT workspace_id, id, $2, sha256(convert_to($3, 'UTF8')), now() + interval '1 day'
     FROM member WHERE email = $1`,
    [email, purpose, token],
  );
  return token;
}

/** Signs up through the real API and confirms the address; returns the workspace and the owner's token. */
export async function signUpConfirmed(
  base: string,
  db: Client,
  fields: { workspaceName: string; email: string; name: string; password: string },
): Promise<{ workspace: { id: string }; member: { id: string }; accessToken: string }> {
  await call(base, 'POST', '/api/v1/workspaces', undefined, fields);
  const token = await mintToken(db, fields.email, 'confirmation');
  return call(base, 'POST', '/api/v1/auth/confirmations', undefined, { token });
}

/** Signs up a workspace with one organization, rollout and pilot, through the real API. */
export async function signUpWithPilot(
  base: string,
  db: Client,
  options: { quarterCount: number; startQuarter: string; levels: Level[] },
): Promise<PilotSkeleton> {
  const tag = randomBytes(3).toString('hex');
  const signUp = await signUpConfirmed(base, db, {
    workspaceName: `Bench ${tag}`,
    email: `owner-${tag}@example.fi`,
    name: 'Bench Owner',
    password: 'correct horse battery staple',
  });
  const token = signUp.accessToken;
  const rest = await addPilot(base, token, options);
  return { workspaceId: signUp.workspace.id, token, ...rest };
}

/** Another organization, rollout and pilot in the same workspace. */
export async function addPilot(
  base: string,
  token: string,
  options: { quarterCount: number; startQuarter: string; levels: Level[] },
): Promise<{ organizationId: string; rolloutId: string; pilotId: string }> {
  const tag = randomBytes(3).toString('hex');
  const organization = await call<{ id: string }>(base, 'POST', '/api/v1/organizations', token, {
    name: `Virasto ${tag}`,
    sector: 'public',
    headcount: 10_000,
    timeZone: 'Europe/Helsinki',
  });
  const rollout = await call<{ id: string }>(base, 'POST', '/api/v1/rollouts', token, {
    organizationId: organization.id,
    goal: 'Every unit plans its quarter with OKRs',
    targetHeadcount: 10_000,
    plannedWaves: 3,
  });
  const pilot = await call<{ id: string }>(base, 'POST', `/api/v1/rollouts/${rollout.id}/pilots`, token, {
    name: `Pilot ${tag}`,
    waveNumber: 1,
    levels: options.levels,
    startQuarter: options.startQuarter,
    quarterCount: options.quarterCount,
  });
  return { organizationId: organization.id, rolloutId: rollout.id, pilotId: pilot.id };
}

/** Applies lifecycle actions in turn (start, advance, review …) and returns the pilot's quarters. */
export async function movePilot(
  base: string,
  token: string,
  pilotId: string,
  actions: string[],
): Promise<QuarterRef[]> {
  for (const action of actions) await call(base, 'POST', `/api/v1/pilots/${pilotId}/${action}`, token, {});
  const quarters = await call<QuarterRef[]>(base, 'GET', `/api/v1/pilots/${pilotId}/quarters`, token);
  return quarters.map(({ id, number, label, state }) => ({ id, number, label, state }));
}

/** A workspace question set through the API (validated and stored as the product stores it). */
export async function createQuestionSet<Q>(
  base: string,
  token: string,
  name: string,
  questions: Q[],
): Promise<{ id: string; questions: Q[] }> {
  const set = await call<{ id: string; questions: Q[] }>(base, 'POST', '/api/v1/question-sets', token, {
    name,
    questions,
  });
  return { id: set.id, questions: set.questions };
}
