import type Database from 'better-sqlite3';
import type { Clock } from '../clock.js';
import { AwsError } from '../edge/errors.js';
import type { Db } from '../store/database.js';
import { secondaryIndexesOf, type SecondaryIndex, type StoredGlobalSecondaryIndex, type StoredLocalSecondaryIndex } from './indexes/schema.js';
import type { Item } from './values/attribute-value.js';

export type KeyType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  name: string;
  type: KeyType;
}

/**
 * A table's stored description: the DescribeTable JSON minus what is computed
 * when read (TableStatus, ItemCount, TableSizeBytes).
 */
export interface StoredTableDescription {
  TableName: string;
  TableArn: string;
  TableId: string;
  AttributeDefinitions: { AttributeName: string; AttributeType: KeyType }[];
  KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  CreationDateTime: number;
  ProvisionedThroughput: {
    NumberOfDecreasesToday: number;
    ReadCapacityUnits: number;
    WriteCapacityUnits: number;
    LastIncreaseDateTime?: number;
    LastDecreaseDateTime?: number;
  };
  BillingModeSummary: { BillingMode: 'PROVISIONED' | 'PAY_PER_REQUEST'; LastUpdateToPayPerRequestDateTime?: number };
  StreamSpecification?: { StreamEnabled: boolean; StreamViewType?: string };
  TableClassSummary?: { TableClass: string; LastUpdateDateTime?: number };
  DeletionProtectionEnabled: boolean;
  GlobalSecondaryIndexes?: StoredGlobalSecondaryIndex[];
  LocalSecondaryIndexes?: StoredLocalSecondaryIndex[];
}

export interface Tag {
  Key: string;
  Value: string;
}

/** A table as the operations see it. */
export interface Table {
  id: number;
  account: string;
  region: string;
  description: StoredTableDescription;
  hashKey: KeyAttribute;
  rangeKey?: KeyAttribute;
  tags: Tag[];
  /** The Time to Live attribute, set while TTL is enabled (src/dynamodb/ttl/). */
  ttlAttribute?: string;
  /** Global then local secondary indexes, in the order of the description (src/dynamodb/indexes/). */
  indexes: readonly SecondaryIndex[];
  /** Whether the table has local secondary indexes, which make its item collections limited and measured. */
  hasLocalIndexes: boolean;
}

export type TableStatus = 'CREATING' | 'UPDATING' | 'ACTIVE';

export type IndexStatus = 'CREATING' | 'UPDATING' | 'DELETING' | 'ACTIVE';

interface IndexTransition {
  status: 'CREATING' | 'UPDATING' | 'DELETING';
  until: number;
  /** A deleted index is shown, DELETING, until its transition ends. */
  deleted?: StoredGlobalSecondaryIndex;
}

interface TableRow {
  id: number;
  account: string;
  region: string;
  description: string;
  tags: string;
  ttl_attribute: string | null;
}

const TABLE_NAME = /^[a-zA-Z0-9_.-]+$/;
const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:([^:]+):(\d{12}):table\/([^/]+)$/;

const cacheKey = (account: string, region: string, name: string): string => `${account}\u0000${region}\u0000${name}`;

/**
 * The catalog of DynamoDB tables. Descriptions are cached in memory because
 * every item operation looks its table up; each change writes through.
 */
export class TableCatalog {
  private readonly cache = new Map<string, Table>();
  private readonly transitions = new Map<number, { until: number; status: 'CREATING' | 'UPDATING' }>();
  /** Per table, the global secondary indexes being created, updated or deleted by UpdateTable. */
  private readonly indexTransitions = new Map<number, Map<string, IndexTransition>>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  private readonly selectOne = () => this.db.prepare<[string, string, string], TableRow>('SELECT id, account, region, description, tags, ttl_attribute FROM ddb_tables WHERE account = ? AND region = ? AND name = ?');

  /**
   * Resolves a TableName parameter, which may also be a table ARN, to
   * (account, region, name); validates the name as DynamoDB does.
   */
  resolveName(account: string, region: string, tableName: string): { account: string; region: string; name: string } {
    const arn = TABLE_ARN.exec(tableName);
    if (arn) return { region: arn[1]!, account: arn[2]!, name: arn[3]! };
    checkTableName(tableName);
    return { account, region, name: tableName };
  }

  find(account: string, region: string, tableName: string): Table | undefined {
    // The hot path: a plain name found in the cache passed resolveName when it
    // was cached (an ARN, with its ':' and '/', never equals a cached name).
    const cached = this.cache.get(cacheKey(account, region, tableName));
    if (cached) return cached;
    const ref = this.resolveName(account, region, tableName);
    const key = cacheKey(ref.account, ref.region, ref.name);
    let table = this.cache.get(key);
    if (!table) {
      const row = this.selectOne().get(ref.account, ref.region, ref.name);
      if (!row) return undefined;
      table = this.fromRow(row);
      this.cache.set(key, table);
    }
    return table;
  }

  list(account: string, region: string): string[] {
    return this.db
      .prepare<[string, string], { name: string }>('SELECT name FROM ddb_tables WHERE account = ? AND region = ? ORDER BY name')
      .all(account, region)
      .map((r) => r.name);
  }

  status(table: Table): TableStatus {
    const transition = this.transitions.get(table.id);
    if (transition && this.clock.now() < transition.until) return transition.status;
    return 'ACTIVE';
  }

  /**
   * The status of a global secondary index: CREATING while its table is
   * (indexes created with the table have no Backfilling), else what the last
   * UpdateTable started until Eddy's clock passes its end. Backfilling is
   * reported for an index UpdateTable is creating.
   */
  indexStatus(table: Table, indexName: string): { status: IndexStatus; backfilling?: boolean } {
    const transition = this.indexTransitions.get(table.id)?.get(indexName);
    if (transition && this.clock.now() < transition.until) {
      return transition.status === 'CREATING' ? { status: 'CREATING', backfilling: true } : { status: transition.status };
    }
    return { status: this.status(table) === 'CREATING' ? 'CREATING' : 'ACTIVE' };
  }

  /** Global secondary indexes deleted by UpdateTable that DescribeTable still shows as DELETING. */
  deletingIndexes(table: Table): StoredGlobalSecondaryIndex[] {
    const now = this.clock.now();
    const deleting: StoredGlobalSecondaryIndex[] = [];
    for (const transition of this.indexTransitions.get(table.id)?.values() ?? []) {
      if (transition.deleted && now < transition.until) deleting.push(transition.deleted);
    }
    return deleting;
  }

  /** Starts an index's CREATING, UPDATING or DELETING window (nothing when `ms` is 0). */
  startIndexTransition(table: Table, indexName: string, status: IndexTransition['status'], ms: number, deleted?: StoredGlobalSecondaryIndex): void {
    let transitions = this.indexTransitions.get(table.id);
    transitions?.delete(indexName);
    if (ms <= 0) return;
    if (!transitions) this.indexTransitions.set(table.id, (transitions = new Map()));
    transitions.set(indexName, { status, until: this.clock.now() + ms, ...(deleted ? { deleted } : {}) });
  }

  create(account: string, region: string, description: StoredTableDescription, tags: Tag[], transitionMs: number): Table {
    const info = this.db
      .prepare('INSERT INTO ddb_tables (account, region, name, description, tags) VALUES (?, ?, ?, ?, ?)')
      .run(account, region, description.TableName, JSON.stringify(description), JSON.stringify(tags));
    const id = Number(info.lastInsertRowid);
    this.startTransition(id, 'CREATING', transitionMs);
    return this.find(account, region, description.TableName)!;
  }

  update(table: Table, description: StoredTableDescription, transitionMs: number): Table {
    this.db.prepare('UPDATE ddb_tables SET description = ? WHERE id = ?').run(JSON.stringify(description), table.id);
    this.forget(table);
    this.startTransition(table.id, 'UPDATING', transitionMs);
    return this.find(table.account, table.region, description.TableName)!;
  }

  setTags(table: Table, tags: Tag[]): void {
    this.db.prepare('UPDATE ddb_tables SET tags = ? WHERE id = ?').run(JSON.stringify(tags), table.id);
    this.forget(table);
  }

  /**
   * Enables (attribute name) or disables (undefined) Time to Live. Call inside
   * the transaction that also (re)builds the table's expiry index.
   */
  setTimeToLive(table: Table, attributeName: string | undefined): Table {
    this.db.prepare('UPDATE ddb_tables SET ttl_attribute = ? WHERE id = ?').run(attributeName ?? null, table.id);
    this.forget(table);
    return this.find(table.account, table.region, table.description.TableName)!;
  }

  /** Every table, of any account and region, with Time to Live enabled (the TTL sweeper's work list). */
  withTimeToLive(): Table[] {
    this.selectWithTtl ??= this.db.prepare<[], { account: string; region: string; name: string }>(
      'SELECT account, region, name FROM ddb_tables WHERE ttl_attribute IS NOT NULL ORDER BY id',
    );
    return this.selectWithTtl.all().map((r) => this.find(r.account, r.region, r.name)!);
  }

  private selectWithTtl?: Database.Statement<[], { account: string; region: string; name: string }>;

  /** Deletes the table, all its items and index entries in one transaction. */
  delete(table: Table): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM ddb_items WHERE table_id = ?').run(table.id);
      this.db.prepare('DELETE FROM ddb_index_items WHERE table_id = ?').run(table.id);
      this.db.prepare('DELETE FROM ddb_item_collections WHERE table_id = ?').run(table.id);
      this.db.prepare('DELETE FROM ddb_tables WHERE id = ?').run(table.id);
    })();
    this.forget(table);
    this.transitions.delete(table.id);
    this.indexTransitions.delete(table.id);
  }

  /** Finds a table by TableArn (tagging APIs); undefined when no such table. */
  findByArn(arn: string): Table | undefined {
    const match = TABLE_ARN.exec(arn);
    if (!match) return undefined;
    return this.find(match[2]!, match[1]!, match[3]!);
  }

  private startTransition(id: number, status: 'CREATING' | 'UPDATING', ms: number): void {
    if (ms > 0) this.transitions.set(id, { until: this.clock.now() + ms, status });
  }

  private forget(table: Table): void {
    this.cache.delete(cacheKey(table.account, table.region, table.description.TableName));
  }

  private fromRow(row: TableRow): Table {
    const description = JSON.parse(row.description) as StoredTableDescription;
    const keyOf = (keyType: 'HASH' | 'RANGE'): KeyAttribute | undefined => {
      const element = description.KeySchema.find((k) => k.KeyType === keyType);
      if (!element) return undefined;
      const definition = description.AttributeDefinitions.find((d) => d.AttributeName === element.AttributeName)!;
      return { name: element.AttributeName, type: definition.AttributeType };
    };
    const hashKey = keyOf('HASH')!;
    const rangeKey = keyOf('RANGE');
    return {
      id: row.id,
      account: row.account,
      region: row.region,
      description,
      hashKey,
      rangeKey,
      tags: JSON.parse(row.tags) as Tag[],
      ...(row.ttl_attribute === null ? {} : { ttlAttribute: row.ttl_attribute }),
      indexes: secondaryIndexesOf(description, rangeKey ? [hashKey.name, rangeKey.name] : [hashKey.name]),
      hasLocalIndexes: (description.LocalSecondaryIndexes?.length ?? 0) > 0,
    };
  }
}

/**
 * The constraints a TableName parameter breaks as a plain table name: none
 * for a table ARN, which the model allows up to 1024 characters. The request
 * validation reports them with the request's other constraint violations.
 */
export function tableNameConstraints(name: string): string[] {
  if (TABLE_ARN.test(name)) return [];
  const problems: string[] = [];
  if (name.length < 3) problems.push('Member must have length greater than or equal to 3');
  if (name.length > 255) problems.push('Member must have length less than or equal to 255');
  if (!TABLE_NAME.test(name)) problems.push('Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
  return problems;
}

/**
 * DynamoDB's checks on a plain table name (the model allows ARNs up to 1024
 * characters, so these are applied here, in the front end's words).
 */
export function checkTableName(name: string): void {
  const problems = tableNameConstraints(name);
  if (problems.length === 0) return;
  const count = `${problems.length} validation error${problems.length > 1 ? 's' : ''} detected: `;
  throw new AwsError('ValidationException', count + problems.map((p) => `Value '${name}' at 'tableName' failed to satisfy constraint: ${p}`).join('; '));
}

/** The key attributes of `item` (for Keys in responses and stream records). */
export function keyOf(table: Table, item: Item): Item {
  const key: Item = { [table.hashKey.name]: item[table.hashKey.name]! };
  if (table.rangeKey) key[table.rangeKey.name] = item[table.rangeKey.name]!;
  return key;
}

export function keyAttributeNames(table: Table): string[] {
  return table.rangeKey ? [table.hashKey.name, table.rangeKey.name] : [table.hashKey.name];
}
