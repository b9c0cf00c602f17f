// The one validation seam of GraphQL arguments: class-validator rules on the argument classes, plus rules that need the
// gateway's settings, all collected and reported as one BAD_USER_INPUT with every failing input in `fields`.
import { validate, type ValidationError } from 'class-validator';
import { errors, type InputFailure } from '../errors/gateway-errors';

/** Gateway settings that some argument rules depend on (e.g. ALLOWED_RETURN_URLS). */
export interface InputSettings {
  allowedReturnOrigins: readonly string[];
}

/**
 * An argument class with rules no property decorator can state: those that need the gateway's settings, or that name
 * each failing item of a list of strings (`emails[2]`). Its failures join the class-validator ones.
 */
export interface ValidatesAsWhole {
  failuresWith(settings: InputSettings): InputFailure[];
}

// One message per input (its first broken rule); unknown properties cannot reach us, GraphQL refuses them first.
const VALIDATOR_OPTIONS = { skipMissingProperties: true, forbidUnknownValues: false, stopAtFirstError: true } as const;

/** type-graphql's `validateFn`: validates one argument value (an @Args class holds all of a field's validated arguments). */
export function inputValidator(settings: InputSettings): (argValue: unknown) => Promise<void> {
  return async (argValue) => {
    if (argValue === null || typeof argValue !== 'object') return;
    const values = Array.isArray(argValue) ? argValue : [argValue];
    const failures: InputFailure[] = [];
    for (const value of values) {
      failures.push(...inputFailures(await validate(value as object, VALIDATOR_OPTIONS)));
      if (hasWholeRules(value)) failures.push(...value.failuresWith(settings));
    }
    if (failures.length > 0) throw errors.invalidInputs(failures as [InputFailure, ...InputFailure[]]);
  };
}

/**
 * class-validator's error tree as flat paths: `input.start.dateTime`, `input.attendees[1].email`. Each rule's message
 * is a predicate ("must be …") and is prefixed with the path here, so one rule reads right wherever its input sits.
 */
export function inputFailures(tree: readonly ValidationError[], parentPath = ''): InputFailure[] {
  return tree.flatMap((error) => {
    const path = pathOf(parentPath, error.property);
    const own = Object.values(error.constraints ?? {}).slice(0, 1).map((message) => ({ field: path, message: `${path} ${message}` }));
    return [...own, ...inputFailures(error.children ?? [], path)];
  });
}

function pathOf(parentPath: string, property: string): string {
  if (!parentPath) return property;
  return /^\d+$/.test(property) ? `${parentPath}[${property}]` : `${parentPath}.${property}`;
}

function hasWholeRules(value: unknown): value is ValidatesAsWhole {
  return typeof (value as Partial<ValidatesAsWhole>).failuresWith === 'function';
}
