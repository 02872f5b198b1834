/**
 * TypeORM's `query()` answers an UPDATE or DELETE with `[rows, rowCount]` and anything else with the
 * rows; this returns the rows either way, so `... RETURNING` reads the same for every statement.
 */
export function returned<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
