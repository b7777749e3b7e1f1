/**
 * TransactionCanceledException: one CancellationReason per action, in request
 * order, "None" for the actions that would have succeeded. Its message lists
 * the codes: "Transaction cancelled, please refer cancellation reasons for
 * specific reasons [None, ConditionalCheckFailed]" (Parity Suite
 * error-messages/transactWriteItems, captured). The error travels with
 * `Message`, as the model spells it; a reason with code None has no message.
 */
import { AwsError } from '../../edge/errors.js';
import type { Item } from '../values/attribute-value.js';

export interface CancellationReason {
  readonly Code: string;
  readonly Message?: string;
  readonly Item?: Item;
}

export const NO_REASON: CancellationReason = { Code: 'None' };

/** The reason code for the error an action failed with. */
const REASON_CODES: Readonly<Record<string, string>> = {
  ConditionalCheckFailedException: 'ConditionalCheckFailed',
  ValidationException: 'ValidationError',
  DuplicateItemException: 'DuplicateItem',
  TransactionConflictException: 'TransactionConflict',
  ItemCollectionSizeLimitExceededException: 'ItemCollectionSizeLimitExceeded',
  ProvisionedThroughputExceededException: 'ProvisionedThroughputExceeded',
  ThrottlingException: 'ThrottlingError',
};

/** The reason for an action that failed with `error`; the item travels for ReturnValuesOnConditionCheckFailure=ALL_OLD. */
export function reasonFor(error: AwsError): CancellationReason {
  const item = error.extra?.Item as Item | undefined;
  return { Code: REASON_CODES[error.code] ?? error.code, Message: error.message, ...(item ? { Item: item } : {}) };
}

/**
 * DynamoDB checks attribute values for emptiness up front, before a
 * transaction runs, and words those refusals "One or more parameter values
 * are not valid. ..." (an empty table or secondary index key value); they stay
 * top-level ValidationExceptions even when Eddy only meets them while writing
 * (Parity Suite tier1 transactWriteItems: an empty index key is top-level, an
 * index key of the wrong type cancels).
 */
export function isUpFrontRefusal(error: AwsError): boolean {
  return error.code === 'ValidationException' && error.message.startsWith('One or more parameter values are not valid. ');
}

export function transactionCanceled(reasons: readonly CancellationReason[]): AwsError {
  const codes = reasons.map((reason) => reason.Code).join(', ');
  return new AwsError(
    'TransactionCanceledException',
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
    400,
    { CancellationReasons: reasons },
    'Message',
  );
}

/**
 * Runs `action` for every element, turning each AwsError into its reason.
 * Throws TransactionCanceledException when any failed; anything that is not
 * an AwsError (a bug, a storage failure) propagates as it is.
 */
export function runAll<T, R>(elements: readonly T[], action: (element: T, index: number) => R): R[] {
  const results: R[] = [];
  const reasons: CancellationReason[] = [];
  let failed = false;
  elements.forEach((element, index) => {
    try {
      results.push(action(element, index));
      reasons.push(NO_REASON);
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      failed = true;
      reasons.push(reasonFor(error));
    }
  });
  if (failed) throw transactionCanceled(reasons);
  return results;
}
