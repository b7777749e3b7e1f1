/**
 * DynamoDB's request front end for PutItem, UpdateItem and DeleteItem.
 *
 * In 2026 DynamoDB moved these three operations to a newer validation
 * framework (31 of 33 regions by October 2026; the Parity Suite's
 * registry/splits.json and captures record the rollout). It differs from the
 * older one Eddy's generic validation reproduces in three ways:
 *
 *  - Constraint violations are worded and grouped differently: an empty
 *    TableName is reported alone as "Value at 'TableName' ...", an unknown
 *    ReturnValues as "Failed to satisfy constraint: Member must satisfy enum
 *    value set: [ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATE_NEW, NONE]" (AWS's
 *    spelling), and the rest in the order of a larger HashMap. A request missing
 *    a required member still gets the older aggregate.
 *  - Every error found before the table is looked up (expression and
 *    parameter checks, attribute values wherever they sit) comes inside the
 *    "1 validation error detected: " envelope. Errors found after the lookup
 *    (key schema, key values, key updates, item size) stay bare.
 *  - Attribute values are checked in the current value layer.
 *
 * A request nested deeper than the newer framework reads (about 62 levels of
 * maps or lists, past 128 levels of JSON) is answered entirely in the older
 * form: older constraint texts, no envelope, older value layer.
 */
import { AwsError } from '../edge/errors.js';
import { javaHashMapOrder, validationErrors, type ConstraintViolation } from '../edge/request-validation.js';
import type { ValueLayer } from './values/validate.js';

/** JSON nesting the newer framework reads; anything deeper is answered by the older one. */
const NEWER_FRAMEWORK_MAX_JSON_DEPTH = 128;

/**
 * True when `value` nests deeper than `limit` levels of JSON objects and
 * arrays. The recursion stops at `limit + 1` levels, so hostile input cannot
 * exhaust the stack; it allocates nothing, as it runs on every item write.
 */
function nestsDeeperThan(value: unknown, limit: number, depth = 1): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth > limit) return true;
  if (Array.isArray(value)) {
    for (const child of value) if (nestsDeeperThan(child, limit, depth + 1)) return true;
  } else {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) if (nestsDeeperThan(record[key], limit, depth + 1)) return true;
  }
  return false;
}

/** How one request is answered: by the newer framework, or (too deep for it) by the older one. */
export interface FrontEnd {
  readonly newer: boolean;
  readonly valueLayer: ValueLayer;
  /** Runs the checks DynamoDB makes before it looks the table up, reporting their errors its way. */
  check<T>(checks: () => T): T;
}

const ENVELOPED = /^\d+ validation errors? detected: /;

/** The newer framework: the current value layer, errors before the table lookup in the envelope. */
const NEWER: FrontEnd = {
  newer: true,
  valueLayer: 'current',
  check<T>(checks: () => T): T {
    try {
      return checks();
    } catch (error) {
      if (error instanceof AwsError && error.code === 'ValidationException' && !ENVELOPED.test(error.message)) {
        throw new AwsError('ValidationException', `1 validation error detected: ${error.message}`);
      }
      throw error;
    }
  },
};

/** The older framework, for requests too deep for the newer one: errors as they are. */
const OLDER: FrontEnd = {
  newer: false,
  valueLayer: 'older',
  check: <T>(checks: () => T): T => checks(),
};

export function frontEndFor(input: unknown): FrontEnd {
  return nestsDeeperThan(input, NEWER_FRAMEWORK_MAX_JSON_DEPTH) ? OLDER : NEWER;
}

const NEWER_RETURN_VALUES = 'Failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATE_NEW, NONE]';
/** As Query answers it (Parity Suite, October 2026); the suite describes the same "[ALL, OR]" form for PutItem and UpdateItem. */
const NEWER_CONDITIONAL_OPERATOR = 'Failed to satisfy constraint: Member must satisfy enum value set: [ALL, OR]';
/** The newer framework's input objects have more members than the model, so its HashMap is twice as large. */
const NEWER_MEMBER_BUCKETS = 32;

function one(message: string): AwsError {
  return new AwsError('ValidationException', `1 validation error detected: ${message}`);
}

/**
 * The newer framework's answer to the constraint violations of a PutItem,
 * UpdateItem or DeleteItem request, or undefined for the older aggregate.
 */
export function newerConstraintReport(operation: 'PutItem' | 'UpdateItem' | 'DeleteItem') {
  return (violations: readonly ConstraintViolation[], input: unknown): AwsError | undefined => {
    if (violations.some((v) => v.kind === 'required') || nestsDeeperThan(input, NEWER_FRAMEWORK_MAX_JSON_DEPTH)) return undefined;

    const tableName = violations.filter((v) => v.member === 'TableName');
    // The model's length is the newer framework's own check; a plain name's length and pattern keep the older texts.
    const modelCheck = tableName.find((v) => v.source === 'model');
    if (modelCheck) return one(`Value at 'TableName' failed to satisfy constraint: ${modelCheck.constraint}`);
    if (tableName.length > 0) return validationErrors(tableName.map((v) => v.text));
    if (violations.some((v) => v.member === 'ConditionalOperator')) return one(NEWER_CONDITIONAL_OPERATOR);
    const returnValues = violations.some((v) => v.member === 'ReturnValues');
    // UpdateItem stops at an unknown ReturnValues; PutItem and DeleteItem report it with the rest.
    if (returnValues && operation === 'UpdateItem') return one(NEWER_RETURN_VALUES);

    const lower = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);
    const members = [...new Set(violations.map((v) => lower(v.member)))];
    const texts = javaHashMapOrder(members, NEWER_MEMBER_BUCKETS).flatMap((member) =>
      violations.filter((v) => lower(v.member) === member).map((v) => (v.member === 'ReturnValues' ? NEWER_RETURN_VALUES : v.text)),
    );
    return validationErrors(texts);
  };
}
