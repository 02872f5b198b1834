import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { InputIssue, InvalidInputError } from '@luotsi/domain';
import { inputIssues } from './input-guard';

/** Flattens class-validator's tree into `{ field, reason }` pairs with dotted paths. */
export function toIssues(errors: ValidationError[], parent = ''): InputIssue[] {
  return errors.flatMap((error) => {
    // Array items read as `steps[1].sendTime`, the same as the domain's own issues.
    const field = !parent
      ? error.property
      : /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({
      field,
      reason: reason.replace(/^property \S+ /, ''),
    }));
    return [...own, ...toIssues(error.children ?? [], field)];
  });
}

const INVALID = 'The request has invalid fields; nothing was changed.';

/**
 * Unknown fields are rejected, types are converted, every problem is reported at once: the shared input
 * check (NUL bytes, nulls, blank text, JSON shape; input-guard.ts) first, then class-validator's rules.
 */
class InputPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const issues = inputIssues(value, metadata);
    if (!issues.length) return super.transform(value, metadata);
    // The DTO's own rules still run, so the answer names every fault, not just the first kind.
    const more = await super.transform(value, metadata).then(
      () => [],
      (error: unknown) => (error instanceof InvalidInputError ? error.issues : []),
    );
    const seen = new Set(issues.map((issue) => issue.field));
    throw new InvalidInputError(INVALID, [...issues, ...more.filter((issue) => !seen.has(issue.field))]);
  }
}

export const validationPipe = () =>
  new InputPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new InvalidInputError(INVALID, toIssues(errors)),
  });
