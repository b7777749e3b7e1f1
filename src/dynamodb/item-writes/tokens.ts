/**
 * ClientRequestToken idempotency (TransactWriteItems, ExecuteTransaction).
 *
 * AWS (TransactWriteItems API reference): a token is valid for 10 minutes
 * after the first request that uses it completes. Within them the same
 * request again succeeds without making its changes a second time, and a
 * different request with the token is refused with
 * IdempotentParameterMismatchException. After them the token is new again.
 * Only transactions that committed are remembered: a cancelled one changed
 * nothing, so its retry runs. "The same request" ignores member order and
 * what only shapes the response (ReturnConsumedCapacity,
 * ReturnItemCollectionMetrics): a replay reports its own capacity.
 *
 * Tokens live in SQLite (ddb_client_tokens), so they survive a restart, and
 * are saved inside the transaction they belong to.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { AwsError } from '../../edge/errors.js';
import type { Db } from '../../store/database.js';
import { readUnits, type ReturnConsumedCapacity } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import type { Item } from '../values/attribute-value.js';
import { itemSize } from '../values/size.js';
import { CapacityByTable, TRANSACTION_FACTOR } from './capacity.js';
import { matchKey } from './keys.js';

/** How long a token is remembered, in milliseconds of Eddy's clock. */
export const TOKEN_LIFETIME_MS = 10 * 60 * 1000;

/** The model's description of the exception; no capture of DynamoDB's own text exists. */
export const IDEMPOTENT_MISMATCH_MESSAGE =
  'DynamoDB rejected the request because you retried a request with a different payload but with an idempotent token that was already used.';

/** An item a transaction wrote: what a replay reads back. */
export interface TokenTarget {
  readonly tableName: string;
  readonly key: Item;
}

interface TokenRow {
  request_hash: string;
  targets: string;
  completed_at: number;
}

interface Statements {
  select: Database.Statement<[string, string, string], TokenRow>;
  upsert: Database.Statement<[string, string, string, string, string, number]>;
  prune: Database.Statement<[number]>;
}

const statements = new WeakMap<Db, Statements>();

function statementsFor(db: Db): Statements {
  let prepared = statements.get(db);
  if (!prepared) {
    prepared = {
      select: db.prepare('SELECT request_hash, targets, completed_at FROM ddb_client_tokens WHERE account = ? AND region = ? AND token = ?'),
      upsert: db.prepare(
        'INSERT INTO ddb_client_tokens (account, region, token, request_hash, targets, completed_at) VALUES (?, ?, ?, ?, ?, ?) ' +
          'ON CONFLICT (account, region, token) DO UPDATE SET request_hash = excluded.request_hash, targets = excluded.targets, completed_at = excluded.completed_at',
      ),
      prune: db.prepare('DELETE FROM ddb_client_tokens WHERE completed_at <= ?'),
    };
    statements.set(db, prepared);
  }
  return prepared;
}

/** JSON with every object's members sorted, so that member order does not make two requests differ. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((name) => record[name] !== undefined)
      .sort()
      .map((name) => `${JSON.stringify(name)}:${canonical(record[name])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A digest of what makes two requests the same one (the operation and its actions). */
export function requestHash(operation: string, actions: unknown): string {
  return createHash('sha256').update(operation).update('\u0000').update(canonical(actions)).digest('hex');
}

/**
 * The items the earlier transaction with this token wrote, when it is a
 * replay of that request; undefined when the token is new (or expired).
 * Throws IdempotentParameterMismatchException when the token came with
 * another request.
 */
export function findReplay(ctx: DynamoContext, token: string | undefined, hash: string): TokenTarget[] | undefined {
  if (token === undefined) return undefined;
  const row = statementsFor(ctx.db).select.get(ctx.accountId, ctx.region, token);
  if (!row || ctx.clock.now() >= row.completed_at + TOKEN_LIFETIME_MS) return undefined;
  if (row.request_hash !== hash) throw new AwsError('IdempotentParameterMismatchException', IDEMPOTENT_MISMATCH_MESSAGE, 400, undefined, 'Message');
  return JSON.parse(row.targets) as TokenTarget[];
}

/** Remembers a token for the transaction being committed. Call inside that transaction. */
export function saveToken(ctx: DynamoContext, token: string | undefined, hash: string, targets: readonly TokenTarget[]): void {
  if (token === undefined) return;
  const now = ctx.clock.now();
  const prepared = statementsFor(ctx.db);
  prepared.prune.run(now - TOKEN_LIFETIME_MS);
  prepared.upsert.run(ctx.accountId, ctx.region, token, hash, JSON.stringify(targets), now);
}

/**
 * The ConsumedCapacity of a replay: DynamoDB reads the items the transaction
 * wrote, as transactional reads of their present size (Parity Suite
 * transactWriteItems "ConsumedCapacity": 2 read units for a 1.5 KB item that
 * cost 4 write units), and reports them in the replay's own mode.
 */
export function replayCapacity(ctx: DynamoContext, targets: readonly TokenTarget[], mode: ReturnConsumedCapacity): { ConsumedCapacity?: unknown[] } {
  const capacity = new CapacityByTable();
  for (const { tableName, key } of targets) {
    const table = ctx.tables.find(ctx.accountId, ctx.region, tableName);
    // A table deleted (or replaced by one with another key) since has nothing of the transaction to read.
    if (!table || !matchKey(table, key, 'key').key) continue;
    const item = ctx.items.get(table, key);
    capacity.addRead(table, TRANSACTION_FACTOR * readUnits(item ? itemSize(item) : 0, true));
  }
  return capacity.transactional(mode);
}
