import { AwsError } from '../edge/errors.js';
import { RawJson } from '../edge/json-protocol.js';
import { evaluateCondition, project, type Condition, type Projection } from './expressions/index.js';
import type { ItemRow } from './item-store.js';
import type { Item } from './values/attribute-value.js';

/** Query and Scan stop reading once they have read 1 MB of items (before any filter). */
export const MAX_PAGE_BYTES = 1024 * 1024;

export interface PageOptions {
  /** The most items to evaluate (Limit), counted before the filter. */
  limit?: number;
  filter?: Condition;
  projection?: Projection;
  /** Select=COUNT: count matches, return no items. */
  countOnly: boolean;
  /** The LastEvaluatedKey for an item: the table key (plus the index key when reading an index). */
  lastKeyOf(item: Item): Item;
}

export interface Page {
  Items?: Item[];
  Count: number;
  ScannedCount: number;
  LastEvaluatedKey?: Item;
  /** Bytes read, for consumed capacity. */
  bytesRead: number;
}

/**
 * Reads one page as DynamoDB does: items are evaluated in key order until
 * Limit items were evaluated or 1 MB was read; the filter applies afterwards,
 * so a page may hold fewer items than it scanned, even none, and still carry
 * a LastEvaluatedKey.
 */
export function readPage(rows: Iterable<ItemRow>, options: PageOptions): Page {
  const items: Item[] = [];
  let scanned = 0;
  let bytes = 0;
  let matched = 0;
  let lastKey: Item | undefined;
  for (const row of rows) {
    const item = JSON.parse(row.item) as Item;
    scanned++;
    bytes += row.size;
    if (!options.filter || evaluateCondition(options.filter, item)) {
      matched++;
      if (!options.countOnly) items.push(options.projection ? project(options.projection, item) : item);
    }
    if (pageIsFull(scanned, bytes, options.limit)) {
      lastKey = options.lastKeyOf(item);
      break;
    }
  }
  return {
    ...(options.countOnly ? {} : { Items: items }),
    Count: matched,
    ScannedCount: scanned,
    ...(lastKey ? { LastEvaluatedKey: lastKey } : {}),
    bytesRead: bytes,
  };
}

function pageIsFull(scanned: number, bytes: number, limit: number | undefined): boolean {
  return (limit !== undefined && scanned >= limit) || bytes >= MAX_PAGE_BYTES;
}

/**
 * A Query or Scan answer: the page read as {@link readPage} reads it, with
 * `capacityFor(bytesRead)` (its ConsumedCapacity member, if any) after it.
 * A page that returns every item whole (no filter, projection or COUNT) is
 * answered with the stored JSON of its items spliced into the response text,
 * as GetItem does: parsing each item only to serialise it again was most of
 * what a Scan cost.
 */
export function answerPage(rows: Iterable<ItemRow>, options: PageOptions, capacityFor: (bytesRead: number) => Record<string, unknown>): unknown {
  if (!options.filter && !options.projection && !options.countOnly) return storedPageAnswer(rows, options, capacityFor);
  const { bytesRead, ...response } = readPage(rows, options);
  return { ...response, ...capacityFor(bytesRead) };
}

/**
 * {@link readPage} for a page of whole items, as JSON text with the members
 * in the same order: only the item that ends the page is parsed (for its
 * LastEvaluatedKey).
 */
function storedPageAnswer(rows: Iterable<ItemRow>, options: PageOptions, capacityFor: (bytesRead: number) => Record<string, unknown>): RawJson {
  const items: string[] = [];
  let bytes = 0;
  let lastKey: Item | undefined;
  for (const row of rows) {
    items.push(row.item);
    bytes += row.size;
    if (pageIsFull(items.length, bytes, options.limit)) {
      lastKey = options.lastKeyOf(JSON.parse(row.item) as Item);
      break;
    }
  }
  const members = [`"Items":[${items.join(',')}]`, `"Count":${items.length}`, `"ScannedCount":${items.length}`];
  if (lastKey) members.push(`"LastEvaluatedKey":${JSON.stringify(lastKey)}`);
  const capacity = JSON.stringify(capacityFor(bytes));
  if (capacity !== '{}') members.push(capacity.slice(1, -1));
  return new RawJson(`{${members.join(',')}}`);
}

export type Select = 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES' | 'SPECIFIC_ATTRIBUTES' | 'COUNT';

/** DynamoDB's rules on Select against ProjectionExpression / AttributesToGet. */
export function checkSelect(select: Select | undefined, projection: Projection | undefined, input: { ProjectionExpression?: unknown; AttributesToGet?: unknown }, indexName: string | undefined): void {
  const parameter = input.ProjectionExpression !== undefined ? 'ProjectionExpression' : 'AttributesToGet';
  if (select === 'SPECIFIC_ATTRIBUTES' && !projection) {
    throw new AwsError('ValidationException', 'One or more parameter values were invalid: Select type SPECIFIC_ATTRIBUTES requires either a ProjectionExpression or AttributesToGet parameter');
  }
  if (projection && select !== undefined && select !== 'SPECIFIC_ATTRIBUTES') {
    throw new AwsError('ValidationException', `One or more parameter values were invalid: Cannot specify the ${parameter} when choosing to get ${select}`);
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && indexName === undefined) {
    throw new AwsError('ValidationException', 'One or more parameter values were invalid: ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
  }
}
