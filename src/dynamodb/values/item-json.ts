/**
 * The JSON text an item is stored as: exactly what `JSON.stringify(item)`
 * writes, since the stored text is what reads answer with and what stream
 * capture compares.
 *
 * When the caller knows that none of the item's strings needs escaping (its
 * names, strings, set members and binaries all came from a request body
 * holding no backslash: `RequestContext.plainJsonBody`), the text is built by
 * quoting each string as it is, which costs less than half of what
 * JSON.stringify does: V8's stringifier checks every character for escaping
 * (measured: 1.1 µs against 0.5 µs per 200-byte item, a BatchWriteItem of 25
 * spending a fifth of its CPU in JSON.stringify).
 *
 * Why a body without a backslash proves it: outside strings a backslash is
 * not JSON, so such a body has no escape sequence; a string without escapes
 * cannot hold a quotation mark, a backslash or a control character (JSON
 * forbids them raw), and text decoded from UTF-8 holds no lone surrogate.
 * Those are the only characters JSON.stringify escapes. Numbers are stored
 * normalized (digits, '.', '-', 'E') and need none either.
 *
 * Canonical text (items of tables with a stream, see capture-triggers.ts):
 * the key attributes first (partition key, then sort key), then the other
 * attributes and every map's entries in name order, instead of
 * JSON.stringify's order, so that two equal items of one table have one
 * text; keys first, as most clients send them, so that a stream record's
 * Keys are cut from the start of its image (keysTextOf, stream-record.ts).
 * Values are stored canonical already (numbers normalized, set members
 * sorted, binaries in canonical base64: validate.ts) and lists keep their
 * order, which is part of their value; so two canonical texts of one table
 * are equal exactly when their items are, and stream capture tells a change
 * from a rewrite by comparing texts alone. DynamoDB keeps no attribute
 * order, so reads answering in this order are as AWS.
 */
import type { AttributeValue, Item } from './attribute-value.js';

/** What a canonical text orders first: the key attributes of the item's table (a Table is one). */
export interface KeySchemaNames {
  readonly hashKey: { readonly name: string };
  readonly rangeKey?: { readonly name: string } | undefined;
}

/**
 * The stored JSON of a validated item (one data type per value):
 * `plainStrings` true only when none of its strings needs escaping (see the
 * file's comment); otherwise, and for any value of another shape, V8's own
 * JSON.stringify. `canonical`: the canonical text for a table with these
 * keys (see the file's comment).
 */
export function itemJson(item: Item, plainStrings: boolean | undefined, canonical?: KeySchemaNames): string {
  if (canonical) return mapJson(item, plainStrings === true, true, canonical);
  return plainStrings === true ? mapJson(item, true, false, undefined) : JSON.stringify(item);
}

/**
 * A map's JSON. `plain` as {@link itemJson}'s `plainStrings` (strings quoted
 * as they are; else escaped by JSON.stringify). Entries in JSON.stringify's
 * order (Object.keys: integer-like names first, then as inserted), or when
 * `sorted` in name order (code unit order, as Array.prototype.sort orders
 * strings); `keys`: the map is an item, whose key attributes come first. An
 * item's order is looked up in a one-entry cache first, since the items
 * written to one table mostly share their attribute names in one order (a
 * put then compares names, most of them the same internalized strings,
 * instead of sorting them).
 */
function mapJson(map: Record<string, AttributeValue>, plain: boolean, sorted: boolean, keys: KeySchemaNames | undefined): string {
  const names = keys ? itemNameOrder(Object.keys(map), keys) : sorted ? Object.keys(map).sort() : Object.keys(map);
  let text = '{';
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (plain) text += (i === 0 ? '"' : ',"') + name + '":' + valueJson(map[name]!, true, sorted);
    else text += (i === 0 ? '' : ',') + JSON.stringify(name) + ':' + valueJson(map[name]!, false, sorted);
  }
  return text + '}';
}

function valueJson(value: AttributeValue, plain: boolean, sorted: boolean): string {
  if (value.S !== undefined) return plain ? '{"S":"' + value.S + '"}' : '{"S":' + JSON.stringify(value.S) + '}';
  if (value.N !== undefined) return '{"N":"' + value.N + '"}';
  if (value.BOOL !== undefined) return value.BOOL ? '{"BOOL":true}' : '{"BOOL":false}';
  if (value.M !== undefined) return '{"M":' + mapJson(value.M, plain, sorted, undefined) + '}';
  if (value.L !== undefined) {
    let text = '{"L":[';
    for (let i = 0; i < value.L.length; i++) text += (i === 0 ? '' : ',') + valueJson(value.L[i]!, plain, sorted);
    return text + ']}';
  }
  if (value.NULL === true) return '{"NULL":true}';
  // Base64 and normalized numbers never need escaping.
  if (value.B !== undefined) return '{"B":"' + value.B + '"}';
  if (value.SS !== undefined) return '{"SS":' + (plain ? stringsJson(value.SS) : JSON.stringify(value.SS)) + '}';
  if (value.NS !== undefined) return '{"NS":' + stringsJson(value.NS) + '}';
  if (value.BS !== undefined) return '{"BS":' + stringsJson(value.BS) + '}';
  return JSON.stringify(value);
}

function stringsJson(members: readonly string[]): string {
  return members.length === 0 ? '[]' : '["' + members.join('","') + '"]';
}

let cachedNames: readonly string[] = [];
let cachedHashKey = '';
let cachedRangeKey: string | undefined;
let cachedOrder: readonly string[] = [];

/** An item's attribute names in canonical order: its key attributes, then the others sorted (cached for the last names and keys seen). */
function itemNameOrder(names: string[], keys: KeySchemaNames): readonly string[] {
  const hashKey = keys.hashKey.name;
  const rangeKey = keys.rangeKey?.name;
  const cached = cachedNames;
  if (names.length === cached.length && hashKey === cachedHashKey && rangeKey === cachedRangeKey) {
    let same = true;
    for (let i = 0; i < names.length; i++) {
      if (names[i] !== cached[i]) {
        same = false;
        break;
      }
    }
    if (same) return cachedOrder;
  }
  const first = (rangeKey === undefined ? [hashKey] : [hashKey, rangeKey]).filter((name) => names.includes(name));
  const order = [...first, ...names.filter((name) => name !== hashKey && name !== rangeKey).sort()];
  cachedNames = names;
  cachedHashKey = hashKey;
  cachedRangeKey = rangeKey;
  cachedOrder = order;
  return order;
}
