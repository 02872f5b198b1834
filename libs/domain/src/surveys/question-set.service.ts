import { Injectable } from '@nestjs/common';
import { LOCALES, QuestionSet } from '@luotsi/database';
import { ConflictError, InputIssue, InvalidInputError, NotFoundError } from '../common/errors';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditLog } from '../audit';
import { SurveysStore } from './surveys.store';
import {
  BUILTIN_QUESTION_SET,
  BUILTIN_QUESTION_SET_REF,
  LocalizedText,
  Question,
  validateQuestions,
} from './question-set';

/** A question set as the API shows it: the built-in one or one of the workspace's own. */
export interface QuestionSetView {
  /** `builtin:end-of-quarter` or the set's uuid. */
  id: string;
  builtIn: boolean;
  name: string;
  description: string;
  /** The set this one was copied from; null for the built-in set and for sets written from scratch. */
  basedOn: string | null;
  questions: Question[];
  createdAt: Date | null;
  updatedAt: Date | null;
}

export interface QuestionSetInput {
  name: string;
  description?: string;
  questions?: unknown[];
  /** A set to copy the questions from: `builtin:end-of-quarter` or a set's id. */
  copyOf?: string;
}

export interface QuestionSetPatch {
  name?: string;
  description?: string;
  questions?: unknown[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_NAME = 200;
const MAX_DESCRIPTION = 2000;

/** True for the refs a question set can have: the built-in ref or a uuid. */
export const isQuestionSetRef = (ref: string): boolean => ref === BUILTIN_QUESTION_SET_REF || UUID.test(ref);

/**
 * Retrospective question sets: the built-in end-of-quarter set (read-only, lives in code) and the
 * workspace's own sets, checked on every save. A retrospective run takes a snapshot through `resolve`.
 */
@Injectable()
export class QuestionSetService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly store: SurveysStore,
    private readonly audit: AuditLog,
  ) {}

  /** The built-in set first, then the workspace's own by name. */
  async list(): Promise<QuestionSetView[]> {
    const own = await this.store.listSets();
    return [builtInView(), ...own.map(view)];
  }

  async get(ref: string): Promise<QuestionSetView> {
    if (ref === BUILTIN_QUESTION_SET_REF) return builtInView();
    return view(await this.store.getSet(uuid(ref)));
  }

  /** The questions a retrospective run snapshots, with the ref they came from. */
  async resolve(ref: string): Promise<{ ref: string; questions: Question[] }> {
    const set = await this.get(ref);
    return { ref: set.id, questions: set.questions };
  }

  /** A new set: its own questions, or a copy of another set's (`copyOf`). */
  async create(input: QuestionSetInput): Promise<QuestionSetView> {
    const issues = [...checkName(input.name, 'name'), ...checkDescription(input.description)];
    if (input.copyOf !== undefined && input.questions !== undefined)
      issues.push({ field: 'copyOf', reason: 'give either questions or copyOf, not both' });
    else if (input.copyOf === undefined) {
      if (input.questions === undefined)
        issues.push({ field: 'questions', reason: 'required unless copyOf names a set to copy' });
      else issues.push(...validateQuestions(input.questions));
    }
    if (issues.length) throw new InvalidInputError('The question set is invalid; nothing was saved.', issues);
    // A copied set was checked when it was saved; a set of another workspace is simply not found.
    const source = input.copyOf !== undefined ? await this.resolve(input.copyOf) : null;
    return this.tenancy.transaction(async (manager) => {
      const saved = await this.store.createSet(
        {
          name: input.name.trim(),
          description: (input.description ?? '').trim(),
          questions: source ? source.questions : canonical(input.questions as Question[]),
          basedOn: source?.ref ?? null,
        },
        manager,
      );
      await this.audit.record(
        {
          action: 'question_set.created',
          entityType: 'question_set',
          entityId: saved.id,
          details: { name: saved.name, basedOn: saved.basedOn, questions: saved.questions.length },
        },
        manager,
      );
      return view(saved);
    });
  }

  /** Changes a workspace's set; `questions` replaces the list as a whole. Past runs keep their snapshot. */
  async update(ref: string, patch: QuestionSetPatch): Promise<QuestionSetView> {
    const id = writable(ref);
    const issues = [
      ...(patch.name !== undefined ? checkName(patch.name, 'name') : []),
      ...checkDescription(patch.description),
      ...(patch.questions !== undefined ? validateQuestions(patch.questions) : []),
    ];
    if (issues.length)
      throw new InvalidInputError('The question set is invalid; nothing was changed.', issues);
    return this.tenancy.transaction(async (manager) => {
      const set = await this.store.getSet(id, { lock: true }, manager);
      if (patch.name !== undefined) set.name = patch.name.trim();
      if (patch.description !== undefined) set.description = patch.description.trim();
      if (patch.questions !== undefined) set.questions = canonical(patch.questions as Question[]);
      const saved = await this.store.saveSet(set, manager);
      await this.audit.record(
        {
          action: 'question_set.updated',
          entityType: 'question_set',
          entityId: id,
          details: {
            changed: Object.keys(patch).filter(
              (field) => patch[field as keyof QuestionSetPatch] !== undefined,
            ),
            questions: saved.questions.length,
          },
        },
        manager,
      );
      return view(saved);
    });
  }

  /** Deletes a workspace's set; retrospectives that used it keep their snapshot. */
  async remove(ref: string): Promise<void> {
    const id = writable(ref);
    await this.tenancy.transaction(async (manager) => {
      const set = await this.store.getSet(id, { lock: true }, manager);
      await this.store.removeSet(set, manager);
      await this.audit.record(
        {
          action: 'question_set.deleted',
          entityType: 'question_set',
          entityId: id,
          details: { name: set.name },
        },
        manager,
      );
    });
  }
}

function builtInView(): QuestionSetView {
  return {
    id: BUILTIN_QUESTION_SET.ref,
    builtIn: true,
    name: BUILTIN_QUESTION_SET.name,
    description: BUILTIN_QUESTION_SET.description,
    basedOn: null,
    questions: structuredClone(BUILTIN_QUESTION_SET.questions) as Question[],
    createdAt: null,
    updatedAt: null,
  };
}

function view(set: QuestionSet): QuestionSetView {
  return {
    id: set.id,
    builtIn: false,
    name: set.name,
    description: set.description,
    basedOn: set.basedOn,
    questions: set.questions as Question[],
    createdAt: set.createdAt,
    updatedAt: set.updatedAt,
  };
}

/** A set's id; anything that is neither a uuid nor the built-in ref names nothing. */
function uuid(ref: string): string {
  if (!UUID.test(ref)) throw new NotFoundError('question set');
  return ref.toLowerCase();
}

function writable(ref: string): string {
  if (ref === BUILTIN_QUESTION_SET_REF)
    throw new ConflictError('The built-in set is read-only; copy it.', { ref });
  return uuid(ref);
}

function checkName(name: unknown, field: string): InputIssue[] {
  if (typeof name !== 'string' || !name.trim()) return [{ field, reason: 'required' }];
  if (name.trim().length > MAX_NAME) return [{ field, reason: `at most ${MAX_NAME} characters` }];
  return [];
}

function checkDescription(description: unknown): InputIssue[] {
  if (description === undefined) return [];
  if (typeof description !== 'string') return [{ field: 'description', reason: 'must be a text' }];
  if (description.length > MAX_DESCRIPTION)
    return [{ field: 'description', reason: `at most ${MAX_DESCRIPTION} characters` }];
  return [];
}

/** Validated questions in one shape: known properties in a fixed order, texts trimmed. */
function canonical(questions: Question[]): Question[] {
  const text = (value: LocalizedText): LocalizedText =>
    Object.fromEntries(LOCALES.map((locale) => [locale, value[locale].trim()])) as unknown as LocalizedText;
  return questions.map((question) => ({
    key: question.key,
    type: question.type,
    section: question.section,
    text: text(question.text),
    required: question.required,
    ...(question.options
      ? { options: question.options.map((option) => ({ key: option.key, text: text(option.text) })) }
      : {}),
    ...(question.adkar ? { adkar: question.adkar } : {}),
  }));
}
