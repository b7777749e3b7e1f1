/**
 * How BatchGetItem and BatchWriteItem report constraint violations, from the
 * Parity Suite's captures of real DynamoDB (tier3/error-messages/batchGetItem,
 * batchWriteItem and validation-ordering/batchOperations, 2026):
 *
 *  - A table name (a key of RequestItems) is held to a table name's
 *    constraints, listed all together: "Map keys must satisfy constraint:
 *    [Member must have length less than or equal to 255, Member must have
 *    length greater than or equal to 3, Member must satisfy regular expression
 *    pattern: [a-zA-Z0-9_.-]+]". The model only says TableArn (1 to 1024), so
 *    Eddy checks this itself. A table ARN is a valid key.
 *  - BatchGetItem runs DynamoDB's newer validation framework: its RequestItems
 *    violations name the member without echoing it ("Value at
 *    'RequestItems.T.member.Keys' failed to satisfy constraint: ..."), except
 *    a bad table name, echoed as the map's JSON; the enums keep the older
 *    per-value texts. A bad table name is reported with the other violations.
 *  - BatchWriteItem runs the older one: every violation echoes its value in
 *    Java's toString form. A bad table name is checked after the other
 *    violations, and only reported when there are none. An empty RequestItems
 *    map is "The requestItems parameter is required for BatchWriteItem" (the
 *    regions had not moved this one to the newer wording when the suite last
 *    pinned it).
 */
import { AwsError, validationError } from '../../edge/errors.js';
import { javaText, validationErrors, type ConstraintViolation } from '../../edge/request-validation.js';
import { DYNAMODB_MODEL } from '../model.js';
import { tableNameConstraints } from '../table-catalog.js';

const TABLE_NAME_CONSTRAINTS =
  'Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]';

export const BATCH_WRITE_EMPTY = 'The requestItems parameter is required for BatchWriteItem';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** True when a key of RequestItems is neither a table name nor a table ARN. */
function hasBadTableName(requestItems: unknown): boolean {
  return isRecord(requestItems) && Object.keys(requestItems).some((name) => tableNameConstraints(name).length > 0);
}

const isMapKeyViolation = (v: ConstraintViolation): boolean => v.path === 'requestItems' && v.constraint.startsWith('Map keys');

/** BatchGetItem's text for a bad table name: the map echoed as JSON. */
function batchGetTableNameText(requestItems: unknown): string {
  return `Value '${JSON.stringify(requestItems)}' at 'requestItems' failed to satisfy constraint: ${TABLE_NAME_CONSTRAINTS}`;
}

const upperFirst = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/** An older path ('requestItems.T.member.keys') as the newer framework names it ('RequestItems.T.member.Keys'). */
function newerPath(path: string, tableNames: readonly string[]): string {
  if (path === 'requestItems') return 'RequestItems';
  // Table names may contain dots, so find the one this path is under.
  const table = tableNames
    .filter((name) => path.startsWith(`requestItems.${name}.member`))
    .sort((a, b) => b.length - a.length)[0];
  if (table === undefined) return path;
  const prefix = `requestItems.${table}.member`;
  const rest = path
    .slice(prefix.length)
    .split('.')
    .map((segment) => (segment === '' || segment === 'member' || /^\d+$/.test(segment) ? segment : upperFirst(segment)))
    .join('.');
  return `RequestItems.${table}.member${rest}`;
}

/** The `report` hook for BatchGetItemInput (see configureValidation in service.ts). */
export function batchGetConstraintReport(violations: readonly ConstraintViolation[], input: unknown): AwsError | undefined {
  if (violations.some((v) => v.kind === 'required')) return undefined;
  const requestItems = isRecord(input) ? input.RequestItems : undefined;
  const tableNames = isRecord(requestItems) ? Object.keys(requestItems) : [];
  const texts = violations
    .filter((v) => !isMapKeyViolation(v))
    .map((v) => (v.member === 'RequestItems' ? `Value at '${newerPath(v.path, tableNames)}' failed to satisfy constraint: ${v.constraint}` : v.text));
  // RequestItems comes first in the validator's order, and a map's own constraints before its members'.
  if (hasBadTableName(requestItems)) texts.unshift(batchGetTableNameText(requestItems));
  return validationErrors(texts);
}

/** The `report` hook for BatchWriteItemInput. */
export function batchWriteConstraintReport(violations: readonly ConstraintViolation[], input: unknown): AwsError | undefined {
  const requestItems = isRecord(input) ? input.RequestItems : undefined;
  if (isRecord(requestItems) && Object.keys(requestItems).length === 0) return validationError(BATCH_WRITE_EMPTY);
  const rest = violations.filter((v) => !isMapKeyViolation(v));
  if (rest.length === 0) return batchWriteTableNameError(requestItems);
  return validationErrors(rest.map((v) => v.text));
}

/** BatchGetItem, after the constraint checks passed: a bad table name. */
export function checkBatchGetTableNames(requestItems: unknown): void {
  if (hasBadTableName(requestItems)) throw validationErrors([batchGetTableNameText(requestItems)]);
}

function batchWriteTableNameError(requestItems: unknown): AwsError {
  const echoed = javaText(DYNAMODB_MODEL, 'BatchWriteItemRequestMap', requestItems);
  return validationErrors([`Value '${echoed}' at 'requestItems' failed to satisfy constraint: ${TABLE_NAME_CONSTRAINTS}`]);
}

/** BatchWriteItem, after the constraint checks passed: a bad table name. */
export function checkBatchWriteTableNames(requestItems: unknown): void {
  if (hasBadTableName(requestItems)) throw batchWriteTableNameError(requestItems);
}
