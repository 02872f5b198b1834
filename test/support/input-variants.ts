/** Bad values for each field of an OpenAPI request body, for the input-edges walk. */

export interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
}

export type Doc = { components: { schemas: Record<string, Schema> } };

export const resolve = (doc: Doc, schema: Schema): Schema =>
  schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop() as string] : schema;

/** A field to poke: its path in the body (array items as index 0) and its schema. */
export interface Field {
  path: (string | number)[];
  name: string;
  schema: Schema;
  /** A nested DTO (an object the API describes), not a free-form value. */
  object: boolean;
}

/** Every field of a body schema, nested DTOs and the items of DTO arrays included. */
export function fieldsOf(doc: Doc, schema: Schema, prefix: (string | number)[] = []): Field[] {
  const resolved = resolve(doc, schema);
  return Object.entries(resolved.properties ?? {}).flatMap(([key, raw]) => {
    const path = [...prefix, key];
    const ref = raw.$ref ? raw : raw.allOf?.[0]?.$ref ? raw.allOf[0] : undefined;
    const own = resolve(doc, ref ?? raw);
    const field: Field = { path, name: fieldName(path), schema: own, object: !!ref };
    if (ref) return [field, ...fieldsOf(doc, ref, path)];
    if (own.type === 'array' && own.items?.$ref) return [field, ...fieldsOf(doc, own.items, [...path, 0])];
    return [field];
  });
}

export const fieldName = (path: (string | number)[]) =>
  path.reduce<string>(
    (name, key) => (typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${key}` : key),
    '',
  );

/** A copy of `base` with the value at `path` replaced, creating the objects and arrays on the way. */
export function withValue(base: unknown, path: (string | number)[], value: unknown): unknown {
  if (!path.length) return value;
  const [key, ...rest] = path;
  if (typeof key === 'number') {
    const list = Array.isArray(base) ? [...base] : [];
    list[key] = withValue(list[key] ?? {}, rest, value);
    return list;
  }
  const object = base && typeof base === 'object' && !Array.isArray(base) ? { ...base } : {};
  (object as Record<string, unknown>)[key] = withValue((object as Record<string, unknown>)[key], rest, value);
  return object;
}

const BLANKS = [' ', '\u1680', '\uFEFF', '\u200B', '\u00A0\u3000', '\t\n'];
export const MEGABYTE = 'x'.repeat(1_000_000);

export interface Variant {
  label: string;
  value: unknown;
  /** Whether the API must refuse it (a valid value may come back 2xx: a nullable null, a long text). */
  mustRefuse: boolean;
}

/** The bad values for one field, by its declared type; `index` rotates the white-space samples. */
export function variantsFor(field: Field, index: number): Variant[] {
  const { schema } = field;
  const refuse = (label: string, value: unknown): Variant => ({ label, value, mustRefuse: true });
  const variants: Variant[] = [{ label: 'null', value: null, mustRefuse: !schema.nullable }];
  const blank = BLANKS[index % BLANKS.length];
  if (field.object) {
    variants.push(refuse('array for object', []), refuse('array of objects', [{}]), refuse('text', 'x'));
  } else if (schema.type === 'array') {
    variants.push(
      refuse('object for array', {}),
      refuse('null item', [null]),
      refuse('NUL item', ['a\u0000b']),
    );
    if (!schema.items?.$ref) variants.push(refuse('blank item', [blank]));
  } else if (schema.type === 'number' || schema.type === 'integer') {
    variants.push(refuse('text for number', 'abc'), refuse('NUL text', '1\u0000'), refuse('array', [1]));
    variants.push(refuse('object', { value: 1 }));
  } else if (schema.type === 'boolean') {
    variants.push(refuse('text for boolean', 'yes\u0000'), refuse('array', [true]));
  } else {
    // Text (an enum, a string, or a `string | null` that the document can only call an object).
    variants.push(refuse('NUL byte', 'a\u0000b'), refuse(`white space ${JSON.stringify(blank)}`, blank));
    variants.push(refuse('array for text', ['a']), refuse('object for text', { a: 'b' }));
    if (schema.type === 'string' && !schema.enum) {
      variants.push(refuse('number for text', 12345), {
        label: '1 MB text',
        value: MEGABYTE,
        mustRefuse: false,
      });
    }
  }
  return variants;
}
