import { ArgumentMetadata } from '@nestjs/common';
import { InputIssue } from '@luotsi/domain';

const PROPERTIES = 'swagger/apiModelProperties';
const PROPERTY_LIST = 'swagger/apiModelPropertiesArray';

/**
 * Text that shows nothing: Unicode white space (`\s` covers U+1680, U+FEFF, U+00A0, U+2000–U+200A,
 * U+3000…) and the invisible format characters that names get padded with (U+180E, U+200B–U+200D, U+2060).
 */
const BLANK = /^[\s\u180E\u200B-\u200D\u2060]+$/u;

interface PropertyMeta {
  type?: unknown;
  isArray?: boolean;
  nullable?: boolean;
}

/** The properties the OpenAPI document lists for a class, or undefined for a class that is no DTO. */
function propertiesOf(type: unknown): Map<string, PropertyMeta> | undefined {
  if (typeof type !== 'function' || !type.prototype) return undefined;
  const names: string[] | undefined = Reflect.getMetadata(PROPERTY_LIST, type.prototype);
  if (!names?.length) return undefined;
  return new Map(
    names.map((name) => {
      const key = name.replace(/^:/, '');
      return [key, (Reflect.getMetadata(PROPERTIES, type.prototype, key) ?? {}) as PropertyMeta];
    }),
  );
}

/** A property's declared type: swagger keeps either the class or a lazy `() => Class`. */
function declaredType(meta: PropertyMeta): unknown {
  const type = meta.type;
  if (typeof type === 'function' && !type.prototype) return (type as () => unknown)();
  return type;
}

/** A JSON object (not an array, and not a Buffer: a CSV upload is its own pipe's business). */
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null);

const join = (parent: string, key: string | number) =>
  typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

/**
 * Walks one input value. Everywhere: no NUL byte (PostgreSQL text cannot hold one). Where a DTO
 * describes the value (strict): no whitespace-only text, no null unless the DTO marks the field
 * `nullable` (a PATCH's nullable field is cleared by null; any other null is refused), and the JSON
 * shape the DTO declares: an object where a nested DTO is, an array exactly where `isArray` is.
 */
function inspect(value: unknown, field: string, dto: unknown, strict: boolean, issues: InputIssue[]): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) issues.push({ field, reason: 'must not contain NUL bytes' });
    else if (strict && BLANK.test(value)) issues.push({ field, reason: 'must not be blank' });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => inspect(item, join(field, index), dto, strict, issues));
    return;
  }
  if (!isPlainObject(value)) return;
  const properties = strict ? propertiesOf(dto) : undefined;
  for (const [key, item] of Object.entries(value)) {
    const path = join(field, key);
    inspect(key, path, undefined, false, issues);
    const meta = properties?.get(key);
    // An unknown field is the whitelist's to refuse; only its NUL bytes are looked at here.
    if (!meta) {
      inspect(item, path, undefined, false, issues);
      continue;
    }
    if (item === null) {
      if (!meta.nullable) issues.push({ field: path, reason: 'must not be null' });
      continue;
    }
    if (item === undefined) continue;
    const nested = declaredType(meta);
    const nestedProperties = propertiesOf(nested);
    if (meta.isArray && !Array.isArray(item)) {
      issues.push({ field: path, reason: 'must be an array' });
    } else if (!meta.isArray && Array.isArray(item)) {
      issues.push({
        field: path,
        reason: nestedProperties ? 'must be an object, not an array' : 'must not be an array',
      });
    } else if (nestedProperties && !meta.isArray && !isPlainObject(item)) {
      issues.push({ field: path, reason: 'must be an object' });
    } else if (nestedProperties && meta.isArray && (item as unknown[]).some((x) => !isPlainObject(x))) {
      (item as unknown[]).forEach((x, index) => {
        if (!isPlainObject(x)) issues.push({ field: join(path, index), reason: 'must be an object' });
      });
    } else {
      inspect(item, path, nestedProperties ? nested : undefined, true, issues);
    }
  }
}

/**
 * The input check every route shares, ahead of class-validator (see validation.ts): bodies, query
 * strings and path parameters. Free-form inputs (a participant page's form, a `Record<string, unknown>`
 * body) get the NUL check only; their own code owns the rest.
 */
export function inputIssues(value: unknown, metadata: ArgumentMetadata): InputIssue[] {
  if (!['body', 'query', 'param'].includes(metadata.type)) return [];
  const issues: InputIssue[] = [];
  const dto = propertiesOf(metadata.metatype) ? metadata.metatype : undefined;
  const field = metadata.data ?? '';
  // A body is always a JSON object here (body-parser refuses bare strings and numbers; arrays reach us).
  if (
    metadata.type === 'body' &&
    value !== undefined &&
    !isPlainObject(value) &&
    (dto || Array.isArray(value))
  ) {
    issues.push({ field: 'body', reason: 'must be a JSON object' });
  } else if (dto) {
    inspect(value, field, dto, true, issues);
  } else {
    // A single named parameter (`@Query('search')`, `@Param('key')`) is text the route reads as is.
    const named = metadata.data !== undefined && metadata.metatype !== Object;
    inspect(value, field || (isPlainObject(value) ? '' : metadata.type), undefined, named, issues);
  }
  return issues;
}
