import { AwsError } from '../edge/errors.js';
import type { Item } from './values/attribute-value.js';

/** PutItem and DeleteItem return only the old item, if anything. */
export function checkReturnValuesAllOldOrNone(returnValues: string | undefined): void {
  if (returnValues !== undefined && returnValues !== 'NONE' && returnValues !== 'ALL_OLD') {
    throw new AwsError('ValidationException', 'ReturnValues can only be ALL_OLD or NONE');
  }
}

/**
 * A failed condition. With ReturnValuesOnConditionCheckFailure=ALL_OLD the
 * error carries the item as it is (Powertools' idempotency utility reads it).
 */
export function conditionFailed(current: Item | undefined, returnOnFailure: string | undefined): AwsError {
  const extra = returnOnFailure === 'ALL_OLD' && current ? { Item: current } : undefined;
  return new AwsError('ConditionalCheckFailedException', 'The conditional request failed', 400, extra);
}

/** `{ Attributes }` when there is something to return, else nothing: AWS omits empty Attributes. */
export function attributes(item: Item | undefined): { Attributes?: Item } {
  return item && Object.keys(item).length > 0 ? { Attributes: item } : {};
}
