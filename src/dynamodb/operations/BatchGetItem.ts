import { validationError } from '../../edge/errors.js';
import { readUnits, type ReturnConsumedCapacity } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import { compileExpressions, type ExpressionRequest, type Projection } from '../expressions/index.js';
import { CapacityByTable, checkBatchGetTableNames, readItem } from '../item-writes/index.js';
import { checkKey } from '../keys.js';
import { requireActiveTable } from '../require-table.js';
import type { Table } from '../table-catalog.js';
import type { Item } from '../values/attribute-value.js';
import { itemSize } from '../values/size.js';
import { validateItem } from '../values/validate.js';

interface KeysAndAttributes extends ExpressionRequest {
  Keys: unknown[];
  ConsistentRead?: boolean;
}

interface BatchGetItemInput {
  RequestItems: Record<string, KeysAndAttributes>;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

/** Keys one request may ask for, across all its tables. */
export const MAX_BATCH_GET_KEYS = 100;
/** DynamoDB stops at a 16 MB response and returns the keys it did not read as UnprocessedKeys. */
export const MAX_BATCH_GET_BYTES = 16 * 1024 * 1024;

/** dynalite validations/batchGetItem.js, whose texts were checked against DynamoDB. */
export const TOO_MANY_KEYS = 'Too many items requested for the BatchGetItem call';
/** Parity Suite error-messages/batchGetItem (captured). */
export const DUPLICATE_KEYS = 'Provided list of item keys contains duplicates';
/** The per-table text; the suite pins only that mixing across tables is a ValidationException. */
const MIXED_PROJECTIONS =
  'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}';

interface TableRequest {
  readonly name: string;
  readonly request: KeysAndAttributes;
  readonly projection?: Projection;
  readonly keys: Item[];
}

/** A key's values in a canonical string: two keys naming the same item give the same one. */
const keyText = (key: Item): string => JSON.stringify(Object.keys(key).sort().map((name) => [name, key[name]]));

/** What a table's entry in UnprocessedKeys repeats besides its keys. */
function unprocessedEntry(request: KeysAndAttributes): KeysAndAttributes {
  const { Keys: _keys, ...options } = request;
  return { Keys: [], ...options };
}

/**
 * Up to 100 items by key from one or more tables. Checked in DynamoDB's order
 * (dynalite validations/batchGetItem.js, the Parity Suite's captures): table
 * names, then per table its projection, key values (current value layer,
 * reported bare), duplicate keys and the key count, then the tables and the
 * keys against their schemas. Reading stops before the response would pass
 * 16 MB of items; the keys not read come back in UnprocessedKeys with their
 * table's options, never dropped.
 */
export function BatchGetItem(input: BatchGetItemInput, ctx: DynamoContext): unknown {
  checkBatchGetTableNames(input.RequestItems);
  const entries = Object.entries(input.RequestItems);
  const given = (value: unknown): boolean => value !== undefined && value !== null;
  if (entries.some(([, r]) => given(r.ProjectionExpression)) && entries.some(([, r]) => given(r.AttributesToGet))) {
    throw validationError(MIXED_PROJECTIONS);
  }

  let count = 0;
  const requests: TableRequest[] = entries.map(([name, request]) => {
    const { projection } = compileExpressions(request, { keyAttributeNames: [], operation: 'GetItem' });
    const seen = new Set<string>();
    const keys = request.Keys.map((raw) => {
      const key = validateItem(raw);
      const text = keyText(key);
      if (seen.has(text)) throw validationError(DUPLICATE_KEYS);
      seen.add(text);
      if (++count > MAX_BATCH_GET_KEYS) throw validationError(TOO_MANY_KEYS);
      return key;
    });
    return { name, request, ...(projection ? { projection } : {}), keys };
  });

  const tables: Table[] = requests.map(({ name, keys }) => {
    const table = requireActiveTable(ctx, name);
    for (const key of keys) checkKey(table, key);
    return table;
  });

  const responses: Record<string, Item[]> = {};
  const unprocessed: Record<string, KeysAndAttributes> = {};
  const capacity = new CapacityByTable();
  let bytes = 0;
  let full = false;
  requests.forEach(({ name, request, projection, keys }, t) => {
    const table = tables[t]!;
    const found: Item[] = (responses[name] = []);
    keys.forEach((key, k) => {
      if (!full) {
        const read = readItem(ctx.items, table, key, projection);
        // The cap is on the response: what the projection keeps (dynalite measures it the same way).
        const returned = !read.item ? 0 : projection ? itemSize(read.item) : read.size;
        full = bytes + returned > MAX_BATCH_GET_BYTES;
        if (!full) {
          bytes += returned;
          capacity.addRead(table, readUnits(read.size, request.ConsistentRead === true));
          if (read.item) found.push(read.item);
          return;
        }
      }
      (unprocessed[name] ??= unprocessedEntry(request)).Keys.push(request.Keys[k]);
    });
  });
  return { Responses: responses, UnprocessedKeys: unprocessed, ...capacity.batch(input.ReturnConsumedCapacity) };
}
