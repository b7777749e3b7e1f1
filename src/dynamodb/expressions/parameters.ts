/**
 * Which expression and legacy parameters each operation has, and
 * DynamoDB's rules for mixing them (dynalite validations/index.js
 * `validateExpressionParams` and the per-operation lists in
 * validations/<operation>.js, which fix the order the messages list them in).
 */
import { validationError } from '../../edge/errors.js';

export type ExpressionOperation = 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query' | 'Scan';

type ExpressionParameter =
  | 'ProjectionExpression'
  | 'FilterExpression'
  | 'KeyConditionExpression'
  | 'UpdateExpression'
  | 'ConditionExpression';

type LegacyParameter =
  | 'AttributesToGet'
  | 'QueryFilter'
  | 'ScanFilter'
  | 'ConditionalOperator'
  | 'KeyConditions'
  | 'AttributeUpdates'
  | 'Expected';

interface OperationParameters {
  readonly expressions: readonly ExpressionParameter[];
  readonly legacy: readonly LegacyParameter[];
}

const OPERATIONS: Readonly<Record<ExpressionOperation, OperationParameters>> = {
  GetItem: { expressions: ['ProjectionExpression'], legacy: ['AttributesToGet'] },
  PutItem: { expressions: ['ConditionExpression'], legacy: ['Expected'] },
  DeleteItem: { expressions: ['ConditionExpression'], legacy: ['Expected'] },
  UpdateItem: { expressions: ['UpdateExpression', 'ConditionExpression'], legacy: ['AttributeUpdates', 'Expected'] },
  Query: {
    expressions: ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'],
    legacy: ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions'],
  },
  Scan: {
    expressions: ['ProjectionExpression', 'FilterExpression'],
    legacy: ['AttributesToGet', 'ScanFilter', 'ConditionalOperator'],
  },
};

type Request = Partial<Record<ExpressionParameter | LegacyParameter | 'ExpressionAttributeNames' | 'ExpressionAttributeValues', unknown>>;

const given = (request: Request, parameter: keyof Request): boolean =>
  request[parameter] !== undefined && request[parameter] !== null;

/** The operation a request most likely belongs to, for callers that do not say. */
export function inferOperation(request: Request): ExpressionOperation {
  if (given(request, 'UpdateExpression') || given(request, 'AttributeUpdates')) return 'UpdateItem';
  if (given(request, 'KeyConditionExpression') || given(request, 'KeyConditions') || given(request, 'QueryFilter')) {
    return 'Query';
  }
  if (given(request, 'FilterExpression') || given(request, 'ScanFilter')) return 'Scan';
  if (given(request, 'ProjectionExpression') || given(request, 'AttributesToGet')) return 'GetItem';
  return 'PutItem';
}

/**
 * Expression and legacy parameters may not be mixed, and placeholders need
 * an expression: ExpressionAttributeNames any expression, and
 * ExpressionAttributeValues one that can use values (not a projection).
 * `terse` drops the ": ConditionExpression is null" detail from the latter,
 * as DynamoDB's newer front end (PutItem, UpdateItem, DeleteItem) does.
 */
export function checkParameterMix(request: Request, operation: ExpressionOperation, terse = false): void {
  const { expressions, legacy } = OPERATIONS[operation];
  const usedExpressions = expressions.filter((parameter) => given(request, parameter));

  if (usedExpressions.length > 0) {
    // KeyConditions may go with the other expressions when there is no KeyConditionExpression.
    const keyConditionsAllowed = given(request, 'KeyConditions') && !given(request, 'KeyConditionExpression');
    const usedLegacy = legacy.filter(
      (parameter) => given(request, parameter) && !(parameter === 'KeyConditions' && keyConditionsAllowed),
    );
    if (usedLegacy.length > 0) {
      throw validationError(
        'Can not use both expression and non-expression parameters in the same request: ' +
          `Non-expression parameters: {${usedLegacy.join(', ')}} Expression parameters: {${usedExpressions.join(', ')}}`,
      );
    }
  }

  if (given(request, 'ExpressionAttributeNames') && usedExpressions.length === 0) {
    throw validationError('ExpressionAttributeNames can only be specified when using expressions');
  }

  const valueExpressions = expressions.filter((parameter) => parameter !== 'ProjectionExpression');
  if (
    valueExpressions.length > 0 &&
    given(request, 'ExpressionAttributeValues') &&
    valueExpressions.every((parameter) => !given(request, parameter))
  ) {
    if (terse) throw validationError('ExpressionAttributeValues can only be specified when using expressions');
    throw validationError(
      `ExpressionAttributeValues can only be specified when using expressions: ${valueExpressions.join(' and ')} ` +
        `${valueExpressions.length > 1 ? 'are' : 'is'} null`,
    );
  }
}
