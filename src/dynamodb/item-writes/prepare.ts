/**
 * The "prepare" half of every item write, in two steps that callers
 * interleave with their own checks in DynamoDB's order:
 *
 *  1. `preparePut` / `prepareUpdate` / `prepareDelete` / `prepareCheck`:
 *     what DynamoDB checks before it looks the table up: the attribute values
 *     (in the surface's value layer), then the expressions. No table needed.
 *  2. `putWrite` / `keyedWrite`: the prepared request bound to its table and
 *     key, ready for `evaluateWrite` / `applyWrite` (apply.ts). How a key that
 *     does not fit the schema is reported differs by surface (keys.ts).
 *
 * The 400 KB check of a Put happens at a different point on each surface
 * (after the key for PutItem, with the values for batches and transactions),
 * so callers make it with the prepared `size`.
 */
import { compileExpressions, type Condition, type ExpressionOperation, type ExpressionRequest, type Update } from '../expressions/index.js';
import { checkReturnValuesAllOldOrNone } from '../return-values.js';
import type { Table } from '../table-catalog.js';
import type { Item } from '../values/attribute-value.js';
import { validateItem, validateSizedItem, type ValueLayer } from '../values/validate.js';
import type { CheckWrite, DeleteWrite, PutWrite, UpdateWrite } from './apply.js';

export interface PrepareOptions {
  /** The layer this surface checks attribute values in (values/number.ts `ValueLayer`). */
  readonly valueLayer: ValueLayer;
  /** True when DynamoDB's newer front end answers (PutItem, UpdateItem, DeleteItem; front-end.ts). */
  readonly newerFrontEnd?: boolean;
  /**
   * PutItem's and DeleteItem's ReturnValues, which may only be ALL_OLD or
   * NONE: checked after the values, before the expressions.
   */
  readonly returnValues?: string;
  /** The request's JSON body holds no backslash (`RequestContext.plainJsonBody`): a put's item then needs no escaping. */
  readonly plainStrings?: boolean;
}

/** The members of a PutItem, PutRequest or transaction Put that the write needs. */
export interface PutInput extends ExpressionRequest {
  readonly Item: unknown;
  readonly ReturnValuesOnConditionCheckFailure?: string;
}

/** The members of an UpdateItem, DeleteItem, DeleteRequest or transaction Update, Delete, ConditionCheck. */
export interface KeyedInput extends ExpressionRequest {
  readonly Key: unknown;
  readonly ReturnValuesOnConditionCheckFailure?: string;
}

export interface PreparedPut {
  readonly kind: 'put';
  readonly item: Item;
  readonly size: number;
  readonly condition?: Condition;
  readonly returnOnFailure?: string;
  /** As {@link PrepareOptions.plainStrings}. */
  readonly plainStrings?: boolean;
}

export interface PreparedKeyed {
  readonly kind: 'update' | 'delete' | 'check';
  /** The Key as sent, values checked; not yet matched against the table. */
  readonly keyInput: Item;
  readonly condition?: Condition;
  readonly update?: Update;
  readonly returnOnFailure?: string;
}

function compile(input: ExpressionRequest, operation: ExpressionOperation, options: PrepareOptions) {
  return compileExpressions(input, {
    keyAttributeNames: [],
    operation,
    valueLayer: options.valueLayer,
    ...(options.newerFrontEnd ? { newerFrontEnd: true } : {}),
  });
}

const onFailure = (input: { ReturnValuesOnConditionCheckFailure?: string }) =>
  input.ReturnValuesOnConditionCheckFailure === undefined ? {} : { returnOnFailure: input.ReturnValuesOnConditionCheckFailure };

/** The item, then ReturnValues (PutItem), then ConditionExpression or Expected. */
export function preparePut(input: PutInput, options: PrepareOptions): PreparedPut {
  const { item, size } = validateSizedItem(input.Item, options.valueLayer);
  if (options.returnValues !== undefined) checkReturnValuesAllOldOrNone(options.returnValues);
  const { condition } = compile(input, 'PutItem', options);
  const prepared: { -readonly [K in keyof PreparedPut]: PreparedPut[K] } = { kind: 'put', item, size };
  // Set only when given (no spread of empty objects: this runs for every put of a batch).
  if (condition) prepared.condition = condition;
  if (input.ReturnValuesOnConditionCheckFailure !== undefined) prepared.returnOnFailure = input.ReturnValuesOnConditionCheckFailure;
  if (options.plainStrings === true) prepared.plainStrings = true;
  return prepared;
}

function prepareKeyed(kind: PreparedKeyed['kind'], operation: ExpressionOperation, input: KeyedInput, options: PrepareOptions): PreparedKeyed {
  const keyInput = validateItem(input.Key, options.valueLayer);
  if (options.returnValues !== undefined) checkReturnValuesAllOldOrNone(options.returnValues);
  const { condition, update } = compile(input, operation, options);
  return { kind, keyInput, ...(condition ? { condition } : {}), ...(update ? { update } : {}), ...onFailure(input) };
}

/** The key, then UpdateExpression (or AttributeUpdates) and the condition. Updates of key attributes are checked against the table later. */
export const prepareUpdate = (input: KeyedInput, options: PrepareOptions): PreparedKeyed => prepareKeyed('update', 'UpdateItem', input, options);

/** The key, then ReturnValues (DeleteItem), then the condition. */
export const prepareDelete = (input: KeyedInput, options: PrepareOptions): PreparedKeyed => prepareKeyed('delete', 'DeleteItem', input, options);

/** A transaction's ConditionCheck: the key, then its (required) ConditionExpression. */
export const prepareCheck = (input: KeyedInput, options: PrepareOptions): PreparedKeyed => prepareKeyed('check', 'DeleteItem', input, options);

/** A prepared Put bound to its table and the key its item carries. */
export function putWrite(table: Table, prepared: PreparedPut, key: Item): PutWrite {
  const { kind, item, size, condition, returnOnFailure, plainStrings } = prepared;
  const write: { -readonly [K in keyof PutWrite]: PutWrite[K] } = { kind, table, key, item, size };
  if (condition) write.condition = condition;
  if (returnOnFailure) write.returnOnFailure = returnOnFailure;
  if (plainStrings) write.plainStrings = true;
  return write;
}

/** A prepared Update, Delete or ConditionCheck bound to its table and matched key. */
export function keyedWrite(table: Table, prepared: PreparedKeyed, key: Item): UpdateWrite | DeleteWrite | CheckWrite {
  const { condition, update, returnOnFailure } = prepared;
  const common = { table, key, ...(returnOnFailure ? { returnOnFailure } : {}) };
  switch (prepared.kind) {
    case 'update':
      return { kind: 'update', ...common, ...(condition ? { condition } : {}), ...(update ? { update } : {}) };
    case 'delete':
      return { kind: 'delete', ...common, ...(condition ? { condition } : {}) };
    case 'check':
      // The model requires a ConditionCheck's ConditionExpression, so it compiled to a condition.
      return { kind: 'check', ...common, condition: condition! };
  }
}
