// Validation rule naming the argument behind a literal a scalar refused: `createEvent(input: { … })` → `input.start`.
import type { ASTVisitor, GraphQLError, ValidationContext } from 'graphql';
import { errorChain } from '../errors/error-chain';
import { InvalidValueError } from './invalid-value';

/**
 * graphql-js reports a scalar's refusal of a literal (ValuesOfCorrectTypeRule) without saying which argument held it.
 * This rule walks the same document alongside and, at the moment such an error is reported, turns it into the
 * contract's BAD_USER_INPUT for the argument path it is at. Variables are named by graphql-js itself (format-error.ts).
 */
export function inputPathsRule(context: ValidationContext): ASTVisitor {
  const path: string[] = [];
  const report = context.reportError.bind(context);
  context.reportError = (error: GraphQLError) => {
    const refusal = [...errorChain(error)].find((link): link is InvalidValueError => link instanceof InvalidValueError);
    report(refusal && path.length > 0 ? refusal.at(path.join('.')) : error);
  };
  const enter = (node: { name: { value: string } }) => void path.push(node.name.value);
  const leave = () => void path.pop();
  return {
    Argument: { enter, leave },
    ObjectField: { enter, leave },
  };
}
