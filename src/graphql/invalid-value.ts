// A scalar's refusal of an input value, named with the input's path once that is known (see input-paths.rule.ts).
import { GraphQLError, type ASTNode } from 'graphql';
import { errors, GatewayError } from '../errors/gateway-errors';

/** Thrown by a scalar while coercing: the scalar knows what is wrong, not which argument the value was given for. */
export class InvalidValueError extends GraphQLError {
  /** `predicate` reads after the input's path: "must be …". */
  constructor(readonly typeName: string, readonly predicate: string, node?: ASTNode) {
    super(`${typeName} ${predicate}`, { nodes: node, extensions: { code: 'BAD_USER_INPUT' } });
    this.name = 'InvalidValueError';
  }

  /** The BAD_USER_INPUT of the contract, for the input at `path` (e.g. `start`, `input.start`). */
  at(path: string | undefined): GatewayError {
    const field = path || this.typeName;
    return errors.badUserInput(field, `${field} ${this.predicate}`);
  }
}
