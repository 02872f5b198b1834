import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { InvalidInputError } from '@luotsi/domain';
import { textsFor, type Language } from '@luotsi/texts';
import { CSRF_FIELD } from './session';

/** One problem with a form, shown in the error summary (linking to `#field`) and beside the field. */
export interface FieldError {
  field: string;
  message: string;
}

/** Constraints with a message of their own in each language; others fall back to a generic one. */
const MESSAGES = new Set([
  'isNotEmpty',
  'minLength',
  'maxLength',
  'isEmail',
  'isIn',
  'isInt',
  'min',
  'max',
  'isDateString',
  'arrayNotEmpty',
  'isUrl',
]);

const flatten = (errors: ValidationError[], prefix = ''): ValidationError[] =>
  errors.flatMap((error) =>
    error.children?.length
      ? flatten(error.children, `${prefix}${error.property}.`)
      : [{ ...error, property: `${prefix}${error.property}` }],
  );

/**
 * Checks a posted form against the API's own DTO (so the console accepts exactly what the API does) and
 * answers in the reader's language. `labels` name the fields as the form shows them.
 */
export async function checkForm<T extends object>(
  dto: ClassConstructor<T>,
  body: Record<string, unknown>,
  language: Language,
  labels: Record<string, string>,
): Promise<{ value: T; errors: [] } | { value: null; errors: FieldError[] }> {
  const { [CSRF_FIELD]: _token, ...fields } = body ?? {};
  const value = plainToInstance(dto, fields, { enableImplicitConversion: false });
  const errors = flatten(await validate(value, { whitelist: true, forbidUnknownValues: false }));
  if (!errors.length) return { value, errors: [] };
  const t = textsFor(language);
  return {
    value: null,
    errors: errors.map((error) => {
      const constraint = Object.keys(error.constraints ?? {})[0] ?? 'invalid';
      const label = labels[error.property] ?? error.property;
      return {
        field: error.property,
        message: MESSAGES.has(constraint)
          ? t(`common:validation.${constraint}`, { label })
          : t('common:validation.invalid', { label }),
      };
    }),
  };
}

/** A domain refusal of the input, field by field, as the form shows it. */
export function fieldErrorsOf(error: InvalidInputError, labels: Record<string, string>): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.field,
    message: `${labels[issue.field] ?? issue.field}: ${issue.reason}`,
  }));
}

/** A posted text field as a trimmed string; empty becomes undefined so optional fields stay unset. */
export const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** A posted whole number as a number; anything else stays as posted so the DTO names the problem. */
export const integer = (value: unknown): unknown => {
  const raw = text(value);
  if (raw === undefined) return undefined;
  return /^-?\d+$/.test(raw) ? Number(raw) : raw;
};

/** Checkbox groups post nothing, one string or several: always a list. */
export const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).filter(
    (item): item is string => typeof item === 'string' && item !== '',
  );

/** A posted field as the string the form showed (never an object from a crafted body). */
export const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Paging from `?page=` (1-based), for pages that list a log. */
export const pageOf = (value: unknown): number => {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
};
