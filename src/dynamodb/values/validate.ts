/**
 * Validation of attribute values that arrive as untrusted JSON.
 *
 * DynamoDB checks a request in two steps and Eddy does the same, so that the
 * same request gets the same error:
 *
 *  1. Deserialization (SerializationException): every member must have the
 *     JSON type the API model gives it. Members the model does not know and
 *     members that are JSON null are ignored, as DynamoDB's deserializer does.
 *     The whole value (or item) is read before any semantic check, so a wrong
 *     JSON type anywhere wins over a semantic problem elsewhere.
 *  2. Validation (ValidationException): exactly one data type, valid numbers,
 *     non-empty and duplicate-free sets, NULL true, nesting depth.
 *
 * Serialization texts are those dynalite's current tests assert against
 * DynamoDB (test/helpers.js `assertType`); validation texts and their order
 * are dynalite's validations/index.js `validateAttributeValue` and its tests,
 * which is DynamoDB's older value layer. The current layer's texts (number
 * and duplicate messages, see {@link ValueLayer}) are from the Parity Suite's
 * 2026 captures (tests/tier3/error-messages/valueLayers.test.ts).
 * Empty S and B values (and empty strings/binaries inside sets) are allowed
 * outside keys since 2020; keys are checked by {@link validateKeyAttribute}.
 */
import type { AttributeValue, Item } from './attribute-value.js';
import { compareBinaries, compareStrings, sortSetMembers } from './equality.js';
import { normalizeNumber, numberSize, type ValueLayer } from './number.js';

export type { ValueLayer } from './number.js';
import { attributeValueSize, binaryLength, itemSize, utf8Length } from './size.js';
import { serializationError, validationError } from '../../edge/errors.js';
import { setOwn } from '../../own-property.js';

// ---------------------------------------------------------------------------
// Step 1: JSON types
// ---------------------------------------------------------------------------

/** An attribute value whose members have the right JSON types; nothing else is checked yet. */
interface ShapedValue {
  S?: string;
  N?: string;
  B?: string;
  BOOL?: boolean;
  NULL?: boolean;
  SS?: (string | null)[];
  NS?: (string | null)[];
  BS?: (string | null)[];
  L?: ShapedValue[];
  M?: Record<string, ShapedValue>;
}

/**
 * Deeper than DynamoDB's own limit (checked in step 2), this only stops
 * hostile input from exhausting the stack while its JSON types are read.
 */
const MAX_READ_DEPTH = 64;

export const NESTING_TOO_DEEP_MESSAGE =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

const OBJECT_NOT_EXPECTED = 'Start of structure or map found where not expected';
const ATTRIBUTE_VALUE_CLASS = 'com.amazonaws.dynamodb.v20120810.AttributeValue';
const MAP_OF_ATTRIBUTE_VALUES = `java.util.Map<java.lang.String, ${ATTRIBUTE_VALUE_CLASS}>`;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How DynamoDB's JSON parser names a scalar token in "X cannot be converted to Y". */
function tokenName(value: boolean | number | string): string {
  if (typeof value === 'boolean') return value ? 'TRUE_VALUE' : 'FALSE_VALUE';
  if (typeof value === 'string') return 'STRING_VALUE';
  // JSON.parse has already turned 2.0 into 2, so only fractions and
  // exponents beyond the integers are recognisable as decimals here.
  return Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
}

function readString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) throw serializationError('Unrecognized collection type class java.lang.String');
  if (isObject(value)) throw serializationError(OBJECT_NOT_EXPECTED);
  throw serializationError(`${tokenName(value as boolean | number)} cannot be converted to String`);
}

function readBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) throw serializationError('Unrecognized collection type class java.lang.Boolean');
  if (isObject(value)) throw serializationError(OBJECT_NOT_EXPECTED);
  if (typeof value === 'string') {
    // The parser takes the words true and false in any case from a string.
    const word = value.toLowerCase();
    if (word === 'true' || word === 'false') return word === 'true';
    throw serializationError('Unexpected token received from parser');
  }
  throw serializationError(`${tokenName(value as number)} cannot be converted to Boolean`);
}

/**
 * A base64 binary. DynamoDB accepts only canonical base64: padded to a
 * multiple of 4, standard alphabet, and unused bits of the last character
 * zero. Texts are DynamoDB's, including its "dectected".
 */
function readBlob(value: unknown): string {
  if (Array.isArray(value)) throw serializationError('Unrecognized collection type class java.nio.ByteBuffer');
  if (isObject(value)) throw serializationError(OBJECT_NOT_EXPECTED);
  if (typeof value !== 'string') throw serializationError('only base-64-encoded strings are convertible to bytes');
  if (value.length % 4 !== 0) {
    throw serializationError(`Base64 encoded length is expected a multiple of 4 bytes but found: ${value.length}`);
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || Buffer.from(value, 'base64').toString('base64') !== value) {
    throw serializationError('Invalid last non-pad Base64 character dectected');
  }
  return value;
}

/** A JSON array for a list-typed member; its elements are read by `readElement`. */
function readList<T>(value: unknown, readElement: (element: unknown) => T): T[] {
  if (isObject(value)) throw serializationError(OBJECT_NOT_EXPECTED);
  if (!Array.isArray(value)) throw serializationError('Unexpected field type');
  return value.map(readElement);
}

/** Set members: a JSON null member survives deserialization and is rejected in step 2. */
function readSetMember(readMember: (member: unknown) => string): (member: unknown) => string | null {
  return (member) => (member === null ? null : readMember(member));
}

/** A JSON object of attribute values (an item, or the M member). */
function readMap(value: unknown, depth: number): Record<string, ShapedValue> {
  if (Array.isArray(value)) throw serializationError(`Unrecognized collection type ${MAP_OF_ATTRIBUTE_VALUES}`);
  if (!isObject(value)) throw serializationError('Unexpected field type');
  const map: Record<string, ShapedValue> = {};
  for (const key of Object.keys(value)) setOwn(map, key, readValue(value[key], depth));
  return map;
}

/**
 * Reads one attribute value's JSON types. A JSON null where a value belongs
 * is read as a value with no members, which step 2 reports as empty.
 */
function readValue(value: unknown, depth: number): ShapedValue {
  if (value === null) return {};
  if (Array.isArray(value)) throw serializationError(`Unrecognized collection type class ${ATTRIBUTE_VALUE_CLASS}`);
  if (!isObject(value)) throw serializationError('Unexpected value type in payload');
  if (depth > MAX_READ_DEPTH) throw validationError(NESTING_TOO_DEEP_MESSAGE);

  const shaped: ShapedValue = {};
  // Keep the request's member order: step 2 reports the first problem in it.
  for (const member of Object.keys(value)) {
    const raw = value[member];
    if (raw === null) continue;
    switch (member) {
      case 'S':
      case 'N':
        shaped[member] = readString(raw);
        break;
      case 'B':
        shaped.B = readBlob(raw);
        break;
      case 'BOOL':
      case 'NULL':
        shaped[member] = readBoolean(raw);
        break;
      case 'SS':
      case 'NS':
        shaped[member] = readList(raw, readSetMember(readString));
        break;
      case 'BS':
        shaped.BS = readList(raw, readSetMember(readBlob));
        break;
      case 'L':
        shaped.L = readList(raw, (element) => readValue(element, depth + 1));
        break;
      case 'M':
        shaped.M = readMap(raw, depth + 1);
        break;
      default:
      // Members the API does not define are ignored, as DynamoDB does.
    }
  }
  return shaped;
}

// ---------------------------------------------------------------------------
// Step 2: semantics
// ---------------------------------------------------------------------------

/** DynamoDB allows 32 levels; the attribute itself is level 1. */
export const MAX_NESTING_LEVEL = 32;

const INVALID = 'One or more parameter values were invalid: ';
export const EMPTY_VALUE_MESSAGE =
  'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
export const MULTIPLE_TYPES_MESSAGE =
  'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';
export const NULL_NOT_TRUE_MESSAGE = `${INVALID}Null attribute value types must have the value of true`;
export const EMPTY_STRING_SET_MESSAGE = `${INVALID}An string set  may not be empty`;
export const EMPTY_NUMBER_SET_MESSAGE = `${INVALID}An number set  may not be empty`;
export const EMPTY_BINARY_SET_MESSAGE = `${INVALID}Binary sets should not be empty`;
/** A duplicate in a number set: the older layer's bare text, and the current layer's. */
export const NUMBER_SET_DUPLICATES_MESSAGE = 'Input collection contains duplicates';
export const CURRENT_NUMBER_SET_DUPLICATES_MESSAGE = `${INVALID}Input collection contains duplicates.`;

/**
 * How a duplicate message prints the set. The older layer lists the members
 * as sent, unquoted: [b, a, b]. The current layer quotes them and lists them
 * as it inserts them into a sorted set: the members before the first repeat in
 * byte order, then the repeat, then the rest as sent (b, a, b gives
 * ["a", "b", "b"]); string sets separate them with ", ", binary sets with ",".
 */
function collectionText(
  members: readonly string[],
  layer: ValueLayer,
  compare: (a: string, b: string) => number,
  separator: string,
): string {
  if (layer === 'older') return `[${members.join(', ')}]`;
  const seen: string[] = [];
  let repeat = members.length;
  for (let i = 0; i < members.length; i++) {
    if (seen.some((member) => compare(member, members[i]!) === 0)) {
      repeat = i;
      break;
    }
    seen.push(members[i]!);
  }
  const listed = [...seen.sort(compare), ...members.slice(repeat)];
  return `[${listed.map((member) => `"${member}"`).join(separator)}]`;
}

function hasDuplicates(members: readonly string[]): boolean {
  return new Set(members).size !== members.length;
}

function checkStringSet(members: readonly (string | null)[], layer: ValueLayer): string[] {
  if (members.length === 0) throw validationError(EMPTY_STRING_SET_MESSAGE);
  // Older DynamoDB text for a missing member; empty strings are members now.
  if (members.includes(null)) throw validationError(`${INVALID}An string set may not have a empty string as a member`);
  const strings = members as string[];
  if (hasDuplicates(strings)) {
    throw validationError(`${INVALID}Input collection ${collectionText(strings, layer, compareStrings, ', ')} contains duplicates.`);
  }
  return sortSetMembers('SS', strings);
}

function checkNumberSet(members: readonly (string | null)[], layer: ValueLayer): string[] {
  if (members.length === 0) throw validationError(EMPTY_NUMBER_SET_MESSAGE);
  const numbers = members.map((member) => normalizeNumber(member ?? '', layer));
  // Compared after normalizing, so "1" and "1.0" are duplicates.
  if (hasDuplicates(numbers)) {
    throw validationError(layer === 'older' ? NUMBER_SET_DUPLICATES_MESSAGE : CURRENT_NUMBER_SET_DUPLICATES_MESSAGE);
  }
  return sortSetMembers('NS', numbers);
}

function checkBinarySet(members: readonly (string | null)[], layer: ValueLayer): string[] {
  if (members.length === 0) throw validationError(EMPTY_BINARY_SET_MESSAGE);
  if (members.includes(null)) throw validationError(`${INVALID}Binary sets may not contain null or empty values`);
  const binaries = members as string[];
  // Only canonical base64 gets this far, so equal bytes mean equal text.
  if (hasDuplicates(binaries)) {
    throw validationError(
      `${INVALID}Input collection ${collectionText(binaries, layer, compareBinaries, ',')}of type BS contains duplicates.`,
    );
  }
  return sortSetMembers('BS', binaries);
}

function checkMap(map: Record<string, ShapedValue>, level: number, layer: ValueLayer): Record<string, AttributeValue> {
  const checked: Record<string, AttributeValue> = {};
  for (const key of Object.keys(map)) setOwn(checked, key, checkValue(map[key]!, level, layer));
  return checked;
}

/**
 * Checks one attribute value at nesting `level` (a top-level attribute is 1)
 * and returns a normalized copy. Members are checked in request order and
 * the more-than-one-type error comes last, as in DynamoDB: {S: 'a', N: 'x'}
 * reports the bad number.
 */
function checkValue(value: ShapedValue, level: number, layer: ValueLayer): AttributeValue {
  if (level > MAX_NESTING_LEVEL) throw validationError(NESTING_TOO_DEEP_MESSAGE);
  const types = Object.keys(value) as (keyof ShapedValue)[];
  if (types.length === 0) throw validationError(EMPTY_VALUE_MESSAGE);

  const checked: AttributeValue = {};
  for (const type of types) {
    switch (type) {
      case 'S':
      case 'B':
      case 'BOOL':
        checked[type] = value[type] as never;
        break;
      case 'N':
        checked.N = normalizeNumber(value.N!, layer);
        break;
      case 'NULL':
        if (value.NULL !== true) throw validationError(NULL_NOT_TRUE_MESSAGE);
        checked.NULL = true;
        break;
      case 'SS':
        checked.SS = checkStringSet(value.SS!, layer);
        break;
      case 'NS':
        checked.NS = checkNumberSet(value.NS!, layer);
        break;
      case 'BS':
        checked.BS = checkBinarySet(value.BS!, layer);
        break;
      case 'M':
        checked.M = checkMap(value.M!, level + 1, layer);
        break;
      case 'L':
        checked.L = value.L!.map((element) => checkValue(element, level + 1, layer));
        break;
    }
  }
  if (types.length > 1) throw validationError(MULTIPLE_TYPES_MESSAGE);
  return checked;
}

// ---------------------------------------------------------------------------
// The common case in one pass
// ---------------------------------------------------------------------------

/** Steps 1 and 2 for one value, or undefined when either refuses it. */
function bothSteps(value: unknown, level: number, layer: ValueLayer, size: SizeTotal | undefined): AttributeValue | undefined {
  try {
    const checked = checkValue(readValue(value, level), level, layer);
    if (size) size.bytes += attributeValueSize(checked);
    return checked;
  } catch {
    return undefined;
  }
}

/** A number value's step 2 (`value` is `{N: text}`: itself when normalizing leaves it), or undefined when it is not a number DynamoDB takes. */
function quickNumber(value: AttributeValue, text: string, layer: ValueLayer, size: SizeTotal | undefined): AttributeValue | undefined {
  try {
    const normalized = normalizeNumber(text, layer);
    if (size) size.bytes += numberSize(normalized);
    return normalized === text ? value : { N: normalized };
  } catch {
    return undefined;
  }
}

/** What the values checked so far add up to, by DynamoDB's count (values/size.ts). */
interface SizeTotal {
  bytes: number;
}

/**
 * Steps 1 and 2 for one value at nesting `level`, one value at a time instead
 * of step 1 for the whole item first: the same checks and an equal result, so
 * the same answer whenever every value passes. Undefined as soon as one does
 * not; the caller then runs the two steps over the whole item, which alone
 * decide which error wins. The values most requests carry (one S, N, BOOL,
 * NULL, M or L member) are checked directly, without step 1's intermediate
 * copy, and a value that is already what step 2 would make of it (no member
 * to drop, its number normalized) is returned itself rather than copied:
 * parsed JSON shares no object, and nothing changes a validated value in
 * place. Adds the value's size (`attributeValueSize` of the result) to
 * `size`, when given, on the way: a put need not walk its item again.
 */
function quickValue(value: unknown, level: number, layer: ValueLayer, size: SizeTotal | undefined): AttributeValue | undefined {
  if (level > MAX_NESTING_LEVEL || !isObject(value)) return bothSteps(value, level, layer, size);
  const members = Object.keys(value);
  if (members.length !== 1) return bothSteps(value, level, layer, size);
  const raw = value[members[0]!];
  switch (members[0]) {
    case 'S':
      if (typeof raw !== 'string') break;
      if (size) size.bytes += utf8Length(raw);
      return value as AttributeValue;
    case 'BOOL':
      if (typeof raw !== 'boolean') break;
      if (size) size.bytes += 1;
      return value as AttributeValue;
    case 'NULL':
      if (raw !== true) break;
      if (size) size.bytes += 1;
      return value as AttributeValue;
    case 'N':
      if (typeof raw === 'string') return quickNumber(value as AttributeValue, raw, layer, size);
      break;
    case 'M': {
      if (size) size.bytes += 3;
      const map = quickMap(raw, level + 1, layer, size, 1);
      return map && (map === raw ? (value as AttributeValue) : { M: map });
    }
    case 'L': {
      if (!Array.isArray(raw)) break;
      if (size) size.bytes += 3 + raw.length;
      let list: AttributeValue[] | undefined;
      for (let i = 0; i < raw.length; i++) {
        const checked = quickValue(raw[i], level + 1, layer, size);
        if (checked === undefined) return undefined;
        // Copied from the first element that changed.
        if (list === undefined && checked !== raw[i]) list = raw.slice(0, i) as AttributeValue[];
        list?.push(checked);
      }
      return list ? { L: list } : (value as AttributeValue);
    }
  }
  return bothSteps(value, level, layer, size);
}

/**
 * {@link quickValue} for a map of values at nesting `level` (an item, or an
 * M member): `value` itself when every entry is, else a copy; each entry adds
 * its key's UTF-8 bytes and `entryBytes` (1 in an M, none in an item) to
 * `size`.
 */
function quickMap(value: unknown, level: number, layer: ValueLayer, size: SizeTotal | undefined, entryBytes: number): Record<string, AttributeValue> | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  let map: Record<string, AttributeValue> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const entry = value[key];
    const checked = quickValue(entry, level, layer, size);
    if (checked === undefined) return undefined;
    if (size) size.bytes += entryBytes + utf8Length(key);
    if (map === undefined && checked !== entry) {
      // Copied from the first entry that changed.
      map = {};
      for (let j = 0; j < i; j++) setOwn(map, keys[j]!, value[keys[j]!] as AttributeValue);
    }
    if (map) setOwn(map, key, checked);
  }
  return map ?? (value as Record<string, AttributeValue>);
}

// ---------------------------------------------------------------------------
// Public entry points
// ---------------------------------------------------------------------------

/**
 * Validates one attribute value from parsed JSON (for example an entry of
 * ExpressionAttributeValues or Key) and returns a normalized copy: numbers in
 * DynamoDB's canonical form, set members in DynamoDB's order, unknown and
 * null members dropped. `layer` picks the wording (see {@link ValueLayer}).
 */
export function validateAttributeValue(value: unknown, layer: ValueLayer = 'current'): AttributeValue {
  return quickValue(value, 1, layer, undefined) ?? checkValue(readValue(value, 1), 1, layer);
}

/**
 * Validates a map of attribute name to value (an Item, a Key, or
 * ExpressionAttributeValues) and returns a normalized copy. Every JSON type
 * in the whole map is checked before any value's semantics.
 */
export function validateItem(value: unknown, layer: ValueLayer = 'current'): Item {
  return quickMap(value, 1, layer, undefined, 0) ?? checkMap(readMap(value, 1), 1, layer);
}

/** {@link validateItem}, and the size of the item it returns (`itemSize`): an item to put. */
export function validateSizedItem(value: unknown, layer: ValueLayer = 'current'): { item: Item; size: number } {
  const size: SizeTotal = { bytes: 0 };
  const quick = quickMap(value, 1, layer, size, 0);
  if (quick) return { item: quick, size: size.bytes };
  const item = checkMap(readMap(value, 1), 1, layer);
  return { item, size: itemSize(item) };
}

// ---------------------------------------------------------------------------
// Key attributes
// ---------------------------------------------------------------------------

/** A table key attribute's role; sort keys have the smaller size limit. */
export type KeyRole = 'HASH' | 'RANGE';

export const MAX_PARTITION_KEY_BYTES = 2048;
export const MAX_SORT_KEY_BYTES = 1024;

/** DynamoDB's texts, including the missing space in "limit of2048". */
export const PARTITION_KEY_TOO_LARGE_MESSAGE = `${INVALID}Size of hashkey has exceeded the maximum size limit of2048 bytes`;
export const SORT_KEY_TOO_LARGE_MESSAGE = `${INVALID}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`;

const NOT_VALID = 'One or more parameter values are not valid. ';

function emptyKind(value: AttributeValue): 'string' | 'binary' | undefined {
  if (value.S === '') return 'string';
  if (value.B === '') return 'binary';
  return undefined;
}

/** Bytes a key value counts against the key size limits; numbers are never too large. */
function keyValueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return utf8Length(value.S);
  if (value.B !== undefined) return binaryLength(value.B);
  return 0;
}

/**
 * Checks a validated value used as a table key attribute: not an empty
 * string or binary, and within 2048 bytes (partition key) or 1024 bytes
 * (sort key). Whether the attribute is present and of the schema's type is
 * the caller's business.
 */
export function validateKeyAttribute(name: string, value: AttributeValue, role: KeyRole): void {
  const empty = emptyKind(value);
  if (empty) {
    throw validationError(
      `${NOT_VALID}The AttributeValue for a key attribute cannot contain an empty ${empty} value. Key: ${name}`,
    );
  }
  const bytes = keyValueBytes(value);
  if (role === 'HASH' && bytes > MAX_PARTITION_KEY_BYTES) throw validationError(PARTITION_KEY_TOO_LARGE_MESSAGE);
  if (role === 'RANGE' && bytes > MAX_SORT_KEY_BYTES) throw validationError(SORT_KEY_TOO_LARGE_MESSAGE);
}

/**
 * Checks a validated value written to a secondary index key attribute: it
 * may not be an empty string or binary.
 */
export function validateIndexKeyAttribute(indexName: string, name: string, value: AttributeValue): void {
  const empty = emptyKind(value);
  if (empty) {
    throw validationError(
      `${NOT_VALID}A value specified for a secondary index key is not supported. ` +
        `The AttributeValue for a key attribute cannot contain an empty ${empty} value. ` +
        `IndexName: ${indexName}, IndexKey: ${name}`,
    );
  }
}
