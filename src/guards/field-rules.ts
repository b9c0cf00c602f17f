// Decorators that put a field's guard rules on the field itself: its rate limit (root fields) and its query cost.
import { Directive, Extensions } from 'type-graphql';
import { MICROSOFT_FIELD_COST } from './query-limits';

export const PER_MINUTE = 60;
export const PER_HOUR = 3600;

/** `@rateLimit(limit, duration)` in the schema; RATE_LIMITS overrides it at start-up (rate-limits.ts). */
export function RateLimit(limit: number, durationSeconds: number): MethodDecorator {
  return Directive(`@rateLimit(limit: ${limit}, duration: ${durationSeconds})`) as MethodDecorator;
}

/** The field's own cost in the query-cost model (query-cost.ts); fields without it cost 1. */
export function Cost(cost: number): MethodDecorator {
  return Extensions({ cost }) as MethodDecorator;
}

/** A field that calls Microsoft (the identity platform or Graph) each time it resolves: a root field, or a nested one such as Calendar.events. */
export function CallsMicrosoft(): MethodDecorator {
  return Cost(MICROSOFT_FIELD_COST);
}
