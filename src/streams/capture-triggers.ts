/**
 * Stream capture inside SQLite: every table with an active stream has three
 * TEMP triggers on ddb_items (after insert, after an update of the item,
 * after delete) that append the change's record to ddb_stream_records in the
 * same statement as the write, so a write and its record commit together by
 * construction, whatever path wrote the item (PutItem, UpdateItem,
 * DeleteItem, batches, transactions, PartiQL, TTL).
 *
 * Why triggers: a record appended from JavaScript cost each write a
 * transaction of its own (BEGIN, reading the old item, the upsert, the
 * record's INSERT, COMMIT: five calls into SQLite instead of one) and the
 * record's JSON. A trigger has the old and new rows at hand; the record is
 * stored as its parts (the images' JSON as the items table holds it) and
 * assembled when read (stream-record.ts).
 *
 * A put (insert or update) binds with its row what its record needs from
 * JavaScript: the record's position (shard and sequence number) and time
 * (`stream_pos`, `stream_at`, taken before the statement:
 * `StreamsEngine.recordPosition`), and it stores the item's canonical text
 * (values/item-json.ts), so a changed text is a changed item. The trigger
 * then calls no JavaScript (each call cost a put about 1,200 instructions,
 * and the checksum it replaced 4,300). A row written before its table had a
 * stream (stream_pos NULL) may hold its item in another order: an equal-size
 * rewrite of it is compared as items, in JavaScript. Deletes (which bind
 * nothing) call back into JavaScript through SQL functions that the streams
 * engine registers ({@link CAPTURE_FUNCTIONS}); those run while SQLite
 * executes the write and must not use the database, so the engine prepares
 * what they need before each write (`StreamsEngine.beforeWrite`).
 *
 * TEMP triggers live on the connection, not in the database file: the engine
 * creates them when it starts and when a stream is enabled, and drops them
 * when it is disabled. This file only writes their SQL.
 */
import { withNewImage, withOldImage, EVENT_CODES, type StreamViewType } from './stream-record.js';

/** The SQL functions the triggers call; the streams engine implements them. */
export const CAPTURE_FUNCTIONS = {
  /** (tableId[, pk, sk]) → a REMOVE record's pos: its shard's number and a new sequence number (see stream-store.ts). */
  position: 'eddy_stream_position',
  /** () → Eddy's clock, epoch ms (a REMOVE record's time). */
  now: 'eddy_stream_now',
  /** (oldItem, newItem) → 1 when the two item texts are items that differ (texts of rows written before the stream may not). */
  itemsDiffer: 'eddy_items_differ',
  /** () → the event code of the delete being made: a REMOVE, or a REMOVE by the service (TTL). */
  removeEvent: 'eddy_stream_remove_event',
} as const;

const KINDS = ['insert', 'update', 'delete'] as const;

/**
 * Whether an update's old and new rows, whose texts differ, are items that
 * differ. The new row's text is canonical; so is the old one's when it was
 * written with its table's stream active (stream_pos set), and then the
 * texts differing proves it. Otherwise the old text may hold the same item
 * in another attribute order: different sizes prove it, or else the items
 * are compared.
 */
const ITEMS_DIFFER = `(OLD.stream_pos IS NOT NULL OR OLD.size <> NEW.size OR ${CAPTURE_FUNCTIONS.itemsDiffer}(OLD.item, NEW.item))`;

/** What a put's row binds for its record ({@link ItemStore} through `recordPosition`); absent, the write fails rather than misplace its record. */
const BOUND_POSITION = "coalesce(NEW.stream_pos, RAISE(ABORT, 'stream capture: a put to a captured table without its record position'))";

function triggerName(tableId: number, kind: (typeof KINDS)[number]): string {
  return `ddb_capture_${tableId}_${kind}`;
}

/** One record's INSERT from within a trigger, at `position` and `time` (SQL expressions). */
function appendRecord(position: string, time: string, values: { event: string; newItem: string; oldItem: string; newSize: string; oldSize: string }): string {
  return (
    'INSERT INTO ddb_stream_records (pos, created_at, event, new_item, old_item, new_size, old_size) ' +
    `VALUES (${position}, ${time}, ${values.event}, ${values.newItem}, ${values.oldItem}, ${values.newSize}, ${values.oldSize});`
  );
}

/**
 * The CREATE TRIGGER statements for a table whose stream shows `viewType`
 * over `lanes` open shards. A record stores the images its view type shows,
 * and at least one image in every case, which names the item's keys: the new
 * item of an INSERT or MODIFY, the old item of a REMOVE. An update that
 * leaves the item's text as it was, or rewrites it as an equal item (the
 * text of a row written before the stream, in another order), appends
 * nothing.
 */
export function captureTriggersSql(tableId: number, viewType: StreamViewType, lanes: number): string[] {
  const showsNew = withNewImage(viewType);
  const showsOld = withOldImage(viewType);
  const insert = appendRecord(BOUND_POSITION, 'NEW.stream_at', { event: String(EVENT_CODES.INSERT), newItem: 'NEW.item', oldItem: 'NULL', newSize: 'NEW.size', oldSize: 'NULL' });
  const update = appendRecord(BOUND_POSITION, 'NEW.stream_at', {
    event: String(EVENT_CODES.MODIFY),
    newItem: showsNew || !showsOld ? 'NEW.item' : 'NULL',
    oldItem: showsOld ? 'OLD.item' : 'NULL',
    newSize: 'NEW.size',
    oldSize: 'OLD.size',
  });
  // With one lane (the default) the key does not matter: no key bytes cross into JavaScript.
  const removePosition = lanes > 1 ? `${CAPTURE_FUNCTIONS.position}(${tableId}, OLD.pk, OLD.sk)` : `${CAPTURE_FUNCTIONS.position}(${tableId})`;
  const remove = appendRecord(removePosition, `${CAPTURE_FUNCTIONS.now}()`, { event: `${CAPTURE_FUNCTIONS.removeEvent}()`, newItem: 'NULL', oldItem: 'OLD.item', newSize: 'NULL', oldSize: 'OLD.size' });
  return [
    `CREATE TEMP TRIGGER ${triggerName(tableId, 'insert')} AFTER INSERT ON ddb_items WHEN NEW.table_id = ${tableId} BEGIN ${insert} END`,
    `CREATE TEMP TRIGGER ${triggerName(tableId, 'update')} AFTER UPDATE OF item ON ddb_items ` +
      `WHEN NEW.table_id = ${tableId} AND OLD.item IS NOT NEW.item AND ${ITEMS_DIFFER} BEGIN ${update} END`,
    `CREATE TEMP TRIGGER ${triggerName(tableId, 'delete')} AFTER DELETE ON ddb_items WHEN OLD.table_id = ${tableId} BEGIN ${remove} END`,
  ];
}

/** The DROP TRIGGER statements undoing {@link captureTriggersSql}. */
export function dropCaptureTriggersSql(tableId: number): string[] {
  return KINDS.map((kind) => `DROP TRIGGER IF EXISTS temp.${triggerName(tableId, kind)}`);
}
