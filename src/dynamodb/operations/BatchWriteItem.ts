import { validationError } from '../../edge/errors.js';
import { writeUnits, type ReturnConsumedCapacity } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import {
  applyWrite,
  CapacityByTable,
  checkBatchWriteTableNames,
  checkedKey,
  CollectionMetrics,
  keyedWrite,
  keyIdentity,
  matchKey,
  overwriteItem,
  prepareDelete,
  preparePut,
  putWrite,
  SCHEMA_MISMATCH,
  type ItemWrite,
  type PreparedKeyed,
  type PreparedPut,
  type PutWrite,
} from '../item-writes/index.js';
import { encodedKey, type BlindPut } from '../item-store.js';
import { checkKey } from '../keys.js';
import { requireActiveTable } from '../require-table.js';
import type { Table } from '../table-catalog.js';
import { itemTooLargeError, MAX_ITEM_SIZE } from '../values/size.js';
import { MULTIPLE_TYPES_MESSAGE } from '../values/validate.js';
import { DUPLICATE_KEYS } from './BatchGetItem.js';

interface WriteRequest {
  PutRequest?: { Item: unknown };
  DeleteRequest?: { Key: unknown };
}

interface BatchWriteItemInput {
  RequestItems: Record<string, WriteRequest[]>;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: 'SIZE' | 'NONE';
}

/** A request bound to its table, with its key encoded as the store keeps it. */
interface BatchWrite {
  readonly write: ItemWrite;
  readonly pk: Buffer;
  readonly sk: Buffer;
}

/** Put and delete requests one call may make, across all its tables. */
export const MAX_BATCH_WRITES = 25;
/** Not captured from DynamoDB: the text SDK users report for more than 25 requests over several tables. */
export const TOO_MANY_WRITES = 'Too many items requested for the BatchWriteItem call';

/**
 * Up to 25 puts and deletes over one or more tables. Not atomic on AWS, but
 * every request is checked before any is made (dynalite
 * validations/batchWriteItem.js and actions/batchWriteItem.js; the Parity
 * Suite's captures): table names, then each request's values (older value
 * layer, bare) and a put's size, then per table its existence, every key
 * against the schema ("The provided key element does not match the schema"
 * for a put too) and duplicates. Eddy then makes them all in one SQLite
 * transaction, in request order; consecutive puts to a table without
 * indexes or listeners, whose capacity is not reported, are one multi-row
 * statement (ItemStore.putBlindAll; stream capture is in that statement's
 * triggers), and a batch that is only that needs no transaction of its own.
 * UnprocessedItems is always empty: Eddy has no throughput to
 * run out of, and never drops a request. ReturnItemCollectionMetrics=SIZE
 * reports the collection of every item written to a table with local
 * secondary indexes.
 */
export function BatchWriteItem(input: BatchWriteItemInput, ctx: DynamoContext): unknown {
  checkBatchWriteTableNames(input.RequestItems);
  const entries = Object.entries(input.RequestItems);
  if (entries.reduce((total, [, requests]) => total + requests.length, 0) > MAX_BATCH_WRITES) throw validationError(TOO_MANY_WRITES);

  const options = { valueLayer: 'older' as const, plainStrings: ctx.plainJsonBody };
  const prepared: (PreparedPut | PreparedKeyed)[][] = entries.map(([, requests]) => {
    // A request that is neither one put nor one delete (dynalite's text, as DynamoDB words it).
    if (requests.some((r) => (r.PutRequest === undefined) === (r.DeleteRequest === undefined))) throw validationError(MULTIPLE_TYPES_MESSAGE);
    return requests.map((request) => {
      if (request.PutRequest) {
        const put = preparePut(request.PutRequest, options);
        if (put.size > MAX_ITEM_SIZE) throw itemTooLargeError();
        return put;
      }
      return prepareDelete(request.DeleteRequest!, options);
    });
  });

  const writes: BatchWrite[] = entries.flatMap(([name], t) => {
    const table = requireActiveTable(ctx, name);
    const seen = new Set<string>();
    return prepared[t]!.map((request) => {
      let write: ItemWrite;
      if (request.kind === 'put') {
        const key = checkedKey(table, request.item) ?? matchKey(table, request.item, 'item').key;
        if (!key) throw validationError(SCHEMA_MISMATCH);
        write = putWrite(table, request, key);
      } else {
        write = keyedWrite(table, request, checkKey(table, request.keyInput));
      }
      // Encoded once: for the duplicate check here and for a blind put's row.
      const [pk, sk] = encodedKey(table, write.key);
      const identity = keyIdentity(pk, sk);
      if (seen.has(identity)) throw validationError(DUPLICATE_KEYS);
      seen.add(identity);
      return { write, pk, sk };
    });
  });

  const capacity = new CapacityByTable();
  const collections = new CollectionMetrics(ctx.items, input.ReturnItemCollectionMetrics);
  const reportsCapacity = input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES';
  // Decided once per write: a put nothing needs the replaced item of (no capacity to report, no index) is written blind.
  const blind = writes.map(({ write }) => write.kind === 'put' && !write.condition && !reportsCapacity && !ctx.items.needsReplacedItem(write.table));
  const oneStatement = blind.every(Boolean) && writes.every(({ write }) => write.table.id === writes[0]!.write.table.id);
  const makeWrites = (): void => {
    // Consecutive blind puts to one table, written together by one statement.
    let pending: BlindPut[] = [];
    let blindTable: Table | undefined;
    const writeBlind = () => {
      if (blindTable) ctx.items.putBlindAll(blindTable, pending);
      pending = [];
      blindTable = undefined;
    };
    for (const [i, { write, pk, sk }] of writes.entries()) {
      if (blind[i]) {
        // Nothing needs the item this put replaces, not even its size (no capacity
        // to report, no index): written without reading it, as PutItem does.
        if (blindTable && blindTable.id !== write.table.id) writeBlind();
        blindTable = write.table;
        const put = write as PutWrite;
        pending.push({ pk, sk, item: put.item, size: put.size, plainStrings: put.plainStrings });
        continue;
      }
      // Every write is made in request order.
      writeBlind();
      // A batch's puts have no condition: only the size of the item they replace matters.
      const { oldSize, size, report } = write.kind === 'put' && !write.condition ? overwriteItem(ctx.items, write) : applyWrite(ctx.items, write);
      capacity.addWrite(write.table, writeUnits(oldSize, size));
      if (report) collections.add(write.table, write.key);
    }
    writeBlind();
  };
  // One statement is atomic by itself (at most 25 rows: putBlindAll's one upsert).
  if (oneStatement) makeWrites();
  else ctx.items.transaction(makeWrites);
  return { UnprocessedItems: {}, ...capacity.batch(input.ReturnConsumedCapacity), ...collections.response() };
}
