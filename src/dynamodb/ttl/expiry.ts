import type { Db } from '../../store/database.js';
import type { StoredRow } from '../item-store.js';
import type { Table } from '../table-catalog.js';
import type { AttributeValue } from '../values/attribute-value.js';

/**
 * "The TTL attribute value must be a datetimestamp with an expiration of no
 * more than five years in the past" (DynamoDB Developer Guide, "Using DynamoDB
 * Time to Live"). AWS does not say how it counts five years; Eddy uses
 * 5 x 365.25 days. Unverified against live AWS: only the rule, not its exact
 * boundary, is documented.
 */
export const FIVE_YEARS_MS = 5 * 365.25 * 24 * 60 * 60 * 1000;

/**
 * When an item whose TTL attribute holds `value` becomes eligible for
 * deletion, in epoch seconds, or null when it never does: the attribute is
 * missing or not a top-level Number (a String, a number set... are ignored, as
 * AWS documents), or its time lies more than five years before `nowMs`.
 *
 * The five-year rule is applied when the item is written (or when TTL is
 * enabled on a table that already holds it), not when it is swept: on AWS an
 * item with a valid expiry is deleted within days, long before its expiry is
 * five years old, so an Eddy test that advances the clock by years must still
 * see it go. This runs on every write to a TTL table: one number read.
 */
export function expiryOf(value: AttributeValue | undefined, nowMs: number): number | null {
  const text = value?.N;
  if (text === undefined) return null;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds * 1000 < nowMs - FIVE_YEARS_MS) return null;
  return seconds;
}

/** The rows of `ddb_items.expires_at` index: filled when TTL is enabled, read by the sweeper. */
export class ExpiryIndex {
  private readonly backfillStatement;
  private readonly clearStatement;
  private readonly dueStatement;

  constructor(db: Db) {
    // The same rule as on the write path, for rows written before TTL was enabled.
    db.function('eddy_ttl_expiry', { deterministic: true }, (valueJson: unknown, nowMs: unknown) =>
      typeof valueJson === 'string' ? expiryOf(JSON.parse(valueJson) as AttributeValue, Number(nowMs)) : null,
    );
    // json_each picks the one top-level attribute by exact name, whatever characters it holds.
    this.backfillStatement = db.prepare<[string, number, number]>(
      'UPDATE ddb_items SET expires_at = eddy_ttl_expiry((SELECT value FROM json_each(ddb_items.item) WHERE key = ?), ?) WHERE table_id = ?',
    );
    this.clearStatement = db.prepare<[number]>('UPDATE ddb_items INDEXED BY ddb_items_expiry SET expires_at = NULL WHERE table_id = ? AND expires_at IS NOT NULL');
    this.dueStatement = db.prepare<[number, number, number], Pick<StoredRow, 'item'>>(
      'SELECT item FROM ddb_items WHERE table_id = ? AND expires_at <= ? ORDER BY expires_at LIMIT ?',
    );
  }

  /** Indexes every item of a table TTL was just enabled on (call inside the enabling transaction). */
  backfill(table: Table, attributeName: string, nowMs: number): void {
    this.backfillStatement.run(attributeName, nowMs, table.id);
  }

  /** Forgets every expiry of a table TTL was just disabled on. */
  clear(table: Table): void {
    this.clearStatement.run(table.id);
  }

  /** Up to `limit` items of the table due at `nowMs`, earliest expiry first: an index range, never a table scan. */
  due(table: Table, nowMs: number, limit: number): string[] {
    return this.dueStatement.all(table.id, nowMs / 1000, limit).map((row) => row.item);
  }
}

const indexes = new WeakMap<Db, ExpiryIndex>();

/** The expiry index of this database (statements prepared once per connection). */
export function expiryIndex(db: Db): ExpiryIndex {
  let index = indexes.get(db);
  if (!index) {
    index = new ExpiryIndex(db);
    indexes.set(db, index);
  }
  return index;
}
