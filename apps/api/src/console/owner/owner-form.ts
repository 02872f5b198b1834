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
