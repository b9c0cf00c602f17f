// Declares an argument rule as a class-validator decorator: a test on the value (and its object) and what must hold.
import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * `@InputRule('isGraphId', isGraphId, 'must be …')` on an input field. The message is a predicate: the validation seam
 * prefixes the input's path (src/graphql/input-validation.ts). `object` is the input holding the field, for rules that
 * compare fields (end after start).
 */
export function InputRule<T = unknown>(
  name: string,
  test: (value: T, object: Record<string, unknown>) => boolean,
  message: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value, args) => test(value as T, (args?.object ?? {}) as Record<string, unknown>),
        defaultMessage: () => message,
      },
    },
    options,
  );
}

/** Whether a value is an integer from `low` to `high`, both included: page sizes, intervals, counts. */
export const isIntegerBetween = (low: number, high: number) => (value: unknown): boolean =>
  Number.isInteger(value) && (value as number) >= low && (value as number) <= high;

export const IsIntegerBetween = (low: number, high: number) => InputRule('isIntegerBetween', isIntegerBetween(low, high), `must be between ${low} and ${high}.`);
