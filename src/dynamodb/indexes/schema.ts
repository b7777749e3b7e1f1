/**
 * Secondary indexes as stored in a table's description and as the write and
 * read paths use them.
 *
 * An index entry is the projection of one table item: the table key, the
 * index key and, by ProjectionType, nothing more (KEYS_ONLY), the listed
 * NonKeyAttributes (INCLUDE) or every attribute (ALL). An item without every
 * index key attribute has no entry (sparse indexes), and neither has one whose
 * index key is of the wrong type or an empty string or binary (the write path
 * refuses those; a backfill skips them, as DynamoDB reports them as index key
 * violations instead of failing).
 */
import type { KeyAttribute, KeyType } from '../table-catalog.js';
import type { AttributeValue, Item } from '../values/attribute-value.js';
import { encodeKey } from '../values/key-encoding.js';
import { setOwn } from '../../own-property.js';

export type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE';

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface StoredProjection {
  ProjectionType: ProjectionType;
  /** Sorted by name, as DescribeTable returns them. */
  NonKeyAttributes?: string[];
}

export interface StoredIndexThroughput {
  NumberOfDecreasesToday: number;
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
  LastIncreaseDateTime?: number;
  LastDecreaseDateTime?: number;
}

/** A GlobalSecondaryIndexDescription minus what is computed on read (status, counts). */
export interface StoredGlobalSecondaryIndex {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: StoredProjection;
  ProvisionedThroughput: StoredIndexThroughput;
  IndexArn: string;
}

/** A LocalSecondaryIndexDescription minus the counts. */
export interface StoredLocalSecondaryIndex {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: StoredProjection;
  IndexArn: string;
}

/** An index as the write and read paths use it. */
export interface SecondaryIndex {
  name: string;
  global: boolean;
  hashKey: KeyAttribute;
  rangeKey?: KeyAttribute;
  projectionType: ProjectionType;
  /** The top-level attributes an entry holds; undefined when it holds the whole item (ALL). */
  projected?: ReadonlySet<string>;
}

/** What a table's description says about its indexes, resolved against its AttributeDefinitions. */
export function secondaryIndexesOf(
  description: {
    AttributeDefinitions: { AttributeName: string; AttributeType: KeyType }[];
    GlobalSecondaryIndexes?: StoredGlobalSecondaryIndex[];
    LocalSecondaryIndexes?: StoredLocalSecondaryIndex[];
  },
  tableKeys: readonly string[],
): SecondaryIndex[] {
  const typeOf = (name: string): KeyType => description.AttributeDefinitions.find((d) => d.AttributeName === name)!.AttributeType;
  const resolve = (stored: StoredGlobalSecondaryIndex | StoredLocalSecondaryIndex, global: boolean): SecondaryIndex => {
    const hash = stored.KeySchema.find((k) => k.KeyType === 'HASH')!.AttributeName;
    const range = stored.KeySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
    const type = stored.Projection.ProjectionType;
    const index: SecondaryIndex = {
      name: stored.IndexName,
      global,
      hashKey: { name: hash, type: typeOf(hash) },
      ...(range === undefined ? {} : { rangeKey: { name: range, type: typeOf(range) } }),
      projectionType: type,
    };
    if (type !== 'ALL') {
      index.projected = new Set([...tableKeys, hash, ...(range === undefined ? [] : [range]), ...(stored.Projection.NonKeyAttributes ?? [])]);
    }
    return index;
  };
  return [
    ...(description.GlobalSecondaryIndexes ?? []).map((i) => resolve(i, true)),
    ...(description.LocalSecondaryIndexes ?? []).map((i) => resolve(i, false)),
  ];
}

const EMPTY = Buffer.alloc(0);

function scalarOf(value: AttributeValue | undefined, type: KeyType): string | undefined {
  if (value === undefined) return undefined;
  const raw = value[type];
  return typeof raw === 'string' && raw !== '' ? raw : undefined;
}

/** The encoded index key of `item`, or undefined when the item is not in the index. */
export function indexKeyOf(index: SecondaryIndex, item: Item): { pk: Buffer; sk: Buffer } | undefined {
  const hash = scalarOf(item[index.hashKey.name], index.hashKey.type);
  if (hash === undefined) return undefined;
  if (!index.rangeKey) return { pk: encodeKey(index.hashKey.type, hash), sk: EMPTY };
  const range = scalarOf(item[index.rangeKey.name], index.rangeKey.type);
  if (range === undefined) return undefined;
  return { pk: encodeKey(index.hashKey.type, hash), sk: encodeKey(index.rangeKey.type, range) };
}

/** The part of `item` an index entry holds. */
export function projectEntry(index: SecondaryIndex, item: Item): Item {
  if (!index.projected) return item;
  const entry: Item = {};
  for (const name of Object.keys(item)) if (index.projected.has(name)) setOwn(entry, name, item[name]!);
  return entry;
}

/** The attributes of an index's key schema, hash first. */
export function indexKeyAttributes(index: SecondaryIndex): KeyAttribute[] {
  return index.rangeKey ? [index.hashKey, index.rangeKey] : [index.hashKey];
}
