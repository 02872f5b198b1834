import { ValidationError, ValidationPipe } from '@nestjs/common';
import { InputIssue, InvalidInputError } from '@luotsi/domain';

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

/** Unknown fields are rejected, types are converted, every problem is reported at once. */
export const validationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new InvalidInputError('The request has invalid fields; nothing was changed.', toIssues(errors)),
  });
