/** Errors shared by the expression kinds. */
import { validationError, type AwsError } from '../../edge/errors.js';

/** The expression parameters, whose names prefix their error messages. */
export type ExpressionKind =
  | 'ConditionExpression'
  | 'UpdateExpression'
  | 'ProjectionExpression'
  | 'FilterExpression'
  | 'KeyConditionExpression';

export function invalidExpression(kind: ExpressionKind, detail: string): AwsError {
  return validationError(`Invalid ${kind}: ${detail}`);
}

/** Thrown by the grammars; the caller prefixes the expression kind. */
export class ExpressionSyntaxError extends Error {
  constructor(readonly detail: string) {
    super(detail);
  }
}
