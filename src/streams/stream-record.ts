import type { Item } from '../dynamodb/values/attribute-value.js';
import { itemsEqual } from '../dynamodb/values/equality.js';
import { itemSize } from '../dynamodb/values/size.js';

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
export type EventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/** A stream record as GetRecords returns it, before its sequence number is known. */
export interface StreamRecordBody {
  eventID: string;
  eventName: EventName;
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Item;
    NewImage?: Item;
    OldImage?: Item;
    SizeBytes: number;
    StreamViewType: StreamViewType;
  };
  /** As GetRecords writes it; the Lambda event spells it `{type, principalId}`. */
  userIdentity?: { PrincipalId: 'dynamodb.amazonaws.com'; Type: 'Service' };
}

/**
 * The event column of a stored record (written by the capture triggers,
 * src/streams/capture-triggers.ts): 4 is a REMOVE made by the service itself
 * (a TTL delete), which GetRecords marks with userIdentity.
 */
export const EVENT_CODES = { INSERT: 1, MODIFY: 2, REMOVE: 3, SERVICE_REMOVE: 4 } as const;
const EVENT_NAMES: readonly (EventName | undefined)[] = [undefined, 'INSERT', 'MODIFY', 'REMOVE', 'REMOVE'];

export const withNewImage = (viewType: StreamViewType): boolean => viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES';
export const withOldImage = (viewType: StreamViewType): boolean => viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES';

/** A stored record as the capture triggers write it (see the ddb_stream_records migration). */
export interface StoredRecordParts {
  seq: number;
  created_at: number;
  /** {@link EVENT_CODES}; null for a record stored whole (written before capture moved into SQLite). */
  event: number | null;
  /** The item after the change as the items table holds it; stored when the view type shows it, or to name the keys. */
  new_item: string | null;
  /** The item before the change, likewise. */
  old_item: string | null;
  new_size: number | null;
  old_size: number | null;
  /** The whole record's JSON, for records stored whole. */
  record: string | null;
}

/** What a record says about its stream: the same for every record of one stream. */
export interface RecordStream {
  arn: string;
  region: string;
  viewType: StreamViewType;
  /** The key attribute names, partition key first. */
  keyNames: readonly string[];
}

/** What a record is made of; images as JSON text with their sizes, already chosen by the view type. */
interface RecordParts {
  eventID: string;
  eventName: EventName;
  keysText: string;
  keysSize: number;
  newImage: string | undefined;
  newSize: number;
  oldImage: string | undefined;
  oldSize: number;
  viewType: StreamViewType;
  region: string;
  nowMs: number;
  byService: boolean;
}

/**
 * The record's JSON text: exactly `JSON.stringify` of its {@link StreamRecordBody}
 * (the same members in the same order), with the images' JSON spliced in as
 * the items table holds it instead of being parsed and serialised again.
 * INSERT has no OldImage and REMOVE no NewImage. SizeBytes applies
 * DynamoDB's item-size rules to Keys plus the images present (AWS does not
 * document the formula). userIdentity marks deletes made by TTL only.
 */
function recordText(parts: RecordParts): string {
  const { newImage, oldImage } = parts;
  const sizeBytes = parts.keysSize + (newImage === undefined ? 0 : parts.newSize) + (oldImage === undefined ? 0 : parts.oldSize);
  return (
    `{"eventID":"${parts.eventID}","eventName":"${parts.eventName}","eventVersion":"1.1","eventSource":"aws:dynamodb",` +
    `"awsRegion":${JSON.stringify(parts.region)},"dynamodb":{"ApproximateCreationDateTime":${Math.floor(parts.nowMs / 1000)},` +
    `"Keys":${parts.keysText}${newImage === undefined ? '' : `,"NewImage":${newImage}`}${oldImage === undefined ? '' : `,"OldImage":${oldImage}`},` +
    `"SizeBytes":${sizeBytes},"StreamViewType":"${parts.viewType}"}` +
    `${parts.byService ? ',"userIdentity":{"PrincipalId":"dynamodb.amazonaws.com","Type":"Service"}' : ''}}`
  );
}

/**
 * The JSON text of a stored record, as GetRecords returns it (without its
 * SequenceNumber). The images appear as the stream's view type says; Keys
 * are the key attributes of an image the trigger stored (the new item when
 * it stored it, else the old one: both have the same key). The eventID is derived from the record's
 * sequence number, so reading a record twice gives the same one.
 */
export function storedRecordText(row: StoredRecordParts, stream: RecordStream): string {
  if (row.event === null) return row.record!;
  const eventName = EVENT_NAMES[row.event];
  if (eventName === undefined) throw new Error(`stream record ${row.seq} has an unknown event ${row.event}`);
  const keySource = row.new_item ?? row.old_item;
  if (keySource === null) throw new Error(`stream record ${row.seq} has no image to take its keys from`);
  const keysText = keysTextOf(keySource, stream.keyNames);
  const viewType = stream.viewType;
  return recordText({
    eventID: eventIdOf(row.seq),
    eventName,
    keysText,
    keysSize: itemSize(JSON.parse(keysText) as Item),
    newImage: withNewImage(viewType) && eventName !== 'REMOVE' ? (row.new_item ?? undefined) : undefined,
    newSize: row.new_size ?? 0,
    oldImage: withOldImage(viewType) && eventName !== 'INSERT' ? (row.old_item ?? undefined) : undefined,
    oldSize: row.old_size ?? 0,
    viewType,
    region: stream.region,
    nowMs: row.created_at,
    byService: row.event === EVENT_CODES.SERVICE_REMOVE,
  });
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const COLON = 58;

/**
 * The index just past the JSON string that starts at `start` (a quote): the
 * next quote not escaped, that is not preceded by an odd run of
 * backslashes. Found with indexOf, which skips a long value natively (a
 * canonical item's key attribute may come after its longest strings).
 */
function endOfString(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) throw new Error('a stored JSON text with an unterminated string');
    let before = quote - 1;
    while (text.charCodeAt(before) === BACKSLASH) before--;
    if ((quote - 1 - before) % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/**
 * The index just past the JSON value that starts at `start` (objects and
 * arrays with what they hold). An attribute value holding one string,
 * `{"S":"…"}`, `{"N":"…"}` or `{"B":"…"}` (most of them), is found by that
 * string.
 */
function endOfValue(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === QUOTE) return endOfString(text, start);
  if (first === OPEN_BRACE && text.charCodeAt(start + 1) === QUOTE && text.charCodeAt(start + 3) === QUOTE && text.charCodeAt(start + 4) === COLON && text.charCodeAt(start + 5) === QUOTE) {
    return endOfString(text, start + 5) + 1;
  }
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let i = start;
    while (i < text.length && text.charCodeAt(i) !== COMMA && text.charCodeAt(i) !== CLOSE_BRACE && text.charCodeAt(i) !== CLOSE_BRACKET) i++;
    return i;
  }
  let depth = 0;
  let i = start;
  for (;;) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = endOfString(text, i);
      continue;
    }
    if (code === OPEN_BRACE || code === OPEN_BRACKET) depth++;
    else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
}

/**
 * The JSON of an item's key attributes (`keyNames`, in that order), cut from
 * the item's JSON as stored (`JSON.stringify`'s or the canonical text: no
 * spaces) without parsing it: the top-level attributes are walked until
 * every key attribute is found, skipping values (strings may hold any
 * character; nested maps may have members named like a key attribute, which
 * are not top-level).
 */
export function keysTextOf(itemText: string, keyNames: readonly string[]): string {
  const names = quotedNames(keyNames);
  const values: (string | undefined)[] = names.map(() => undefined);
  let missing = names.length;
  let i = 1;
  while (missing > 0 && itemText.charCodeAt(i) === QUOTE) {
    const nameEnd = endOfString(itemText, i);
    const valueStart = nameEnd + 1;
    const valueEnd = endOfValue(itemText, valueStart);
    for (let k = 0; k < names.length; k++) {
      const name = names[k]!;
      if (values[k] === undefined && name.length === nameEnd - i && itemText.startsWith(name, i)) {
        values[k] = itemText.slice(valueStart, valueEnd);
        missing--;
        break;
      }
    }
    i = valueEnd + 1;
  }
  if (missing > 0) throw new Error(`an item's JSON without its key attributes ${keyNames.join(', ')}`);
  let text = '{';
  for (let k = 0; k < names.length; k++) text += (k === 0 ? '' : ',') + names[k]! + ':' + values[k]!;
  return text + '}';
}

let lastKeyNames: readonly string[] = [];
let lastQuoted: readonly string[] = [];

/** The key attribute names as JSON strings, kept for the last key schema asked (a GetRecords page asks for one schema 1,000 times). */
function quotedNames(keyNames: readonly string[]): readonly string[] {
  if (keyNames !== lastKeyNames) {
    lastQuoted = keyNames.map((name) => JSON.stringify(name));
    lastKeyNames = keyNames;
  }
  return lastQuoted;
}

const SIZE_BYTES = ',"SizeBytes":';

/**
 * A record's JSON (as {@link storedRecordText} gives it) with its
 * SequenceNumber where AWS writes it: in `dynamodb`, before SizeBytes. The
 * last `,"SizeBytes":` of the text is the record's own (the images, which may
 * hold an attribute of that name, come before it; userIdentity after it holds
 * none). GetRecords and the event source mappings both splice it this way.
 */
export function withSequenceNumber(record: string, sequenceNumber: string): string {
  const at = record.lastIndexOf(SIZE_BYTES);
  return `${record.slice(0, at)},"SequenceNumber":"${sequenceNumber}"${record.slice(at)}`;
}

/** murmur3's 32-bit finaliser: a bijection of 32-bit integers that scatters their bits. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Two hex digits for each byte value: four lookups format a word faster than toString(16) (GetRecords formats four per record). */
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const hex8 = (value: number): string => HEX_BYTES[value >>> 24]! + HEX_BYTES[(value >>> 16) & 0xff]! + HEX_BYTES[(value >>> 8) & 0xff]! + HEX_BYTES[value & 0xff]!;

/**
 * A record's eventID: 32 hex digits that look random, as AWS's do, and are
 * unique because the first 16 are a bijection of the sequence number (below
 * 2^40, and one sequence numbers the records of every stream): the low 32
 * bits give the first word, and the second, given the first, gives the high
 * bits. Every word depends on every bit of the number.
 */
export function eventIdOf(seq: number): string {
  const low = seq >>> 0;
  const high = Math.floor(seq / 2 ** 32);
  const a = mix32(low);
  const b = mix32(a ^ high ^ 0x9e3779b9);
  const c = mix32(b ^ 0x7f4a7c15);
  return hex8(a) + hex8(b) + hex8(c) + hex8(mix32(c ^ low ^ 0x85ebca6b));
}

/**
 * Characters that may differ between the JSON texts of two equal items:
 * numbers compare by value ("1" equals "1.0", "1e2" equals "100"), so their
 * digits, signs, points and exponents may differ.
 */
function isNumberCharacter(code: number): boolean {
  return (code >= 48 && code <= 57) || code === 46 || code === 43 || code === 45 || code === 101 || code === 69;
}

/** The sum of the codes of a text's characters that two equal items' texts always share (see {@link itemTextsDiffer}). */
function sharedCharacterSum(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isNumberCharacter(code)) sum += code;
  }
  return sum;
}

/**
 * Whether two items, given as the JSON the items table holds (both written
 * by `JSON.stringify`), differ by DynamoDB's rules: a write that leaves an
 * item equal to what it was writes no stream record. Equal items have the
 * same attributes with equal values, so their texts differ only in the order
 * of attributes, map entries and set members, which keeps the characters,
 * and in how numbers are written; so texts whose characters other than
 * number characters add up differently are items that differ, found without
 * parsing. Binary values compare by their bytes, which base64 can spell in
 * more than one way: texts with binaries, and texts whose sums agree, are
 * parsed and compared.
 */
export function itemTextsDiffer(oldText: string, newText: string): boolean {
  if (oldText === newText) return false;
  if (!mayHoldBinary(oldText) && !mayHoldBinary(newText) && sharedCharacterSum(oldText) !== sharedCharacterSum(newText)) return true;
  return !itemsEqual(JSON.parse(oldText) as Item, JSON.parse(newText) as Item);
}

function mayHoldBinary(text: string): boolean {
  return text.includes('"B":') || text.includes('"BS":');
}

/** The record for one change as an object (for consumers that build records themselves, e.g. tests of Lambda filters). */
export function buildStreamRecord(input: {
  eventName: EventName;
  keys: Item;
  oldItem: Item | undefined;
  newItem: Item | undefined;
  viewType: StreamViewType;
  region: string;
  nowMs: number;
  byService: boolean;
  seq?: number;
}): StreamRecordBody {
  const { viewType } = input;
  const text = recordText({
    eventID: eventIdOf(input.seq ?? 1),
    eventName: input.eventName,
    keysText: JSON.stringify(input.keys),
    keysSize: itemSize(input.keys),
    newImage: withNewImage(viewType) && input.newItem ? JSON.stringify(input.newItem) : undefined,
    newSize: input.newItem ? itemSize(input.newItem) : 0,
    oldImage: withOldImage(viewType) && input.oldItem ? JSON.stringify(input.oldItem) : undefined,
    oldSize: input.oldItem ? itemSize(input.oldItem) : 0,
    viewType,
    region: input.region,
    nowMs: input.nowMs,
    byService: input.byService,
  });
  return JSON.parse(text) as StreamRecordBody;
}
