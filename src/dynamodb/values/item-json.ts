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
 */
import type { AttributeValue, Item } from './attribute-value.js';

/**
 * The stored JSON of a validated item (one data type per value):
 * `plainStrings` true only when none of its strings needs escaping (see the
 * file's comment); otherwise, and for any value of another shape, V8's own
 * JSON.stringify. `canonical`: names in order (see the file's comment).
 */
export function itemJson(item: Item, plainStrings: boolean | undefined, canonical = false): string {
  if (canonical) return canonicalMapJson(item, plainStrings === true, true);
  return plainStrings === true ? mapJson(item) : JSON.stringify(item);
}

/** A map's entries in JSON.stringify's order (Object.keys: integer-like names first, then as inserted). */
function mapJson(map: Record<string, AttributeValue>): string {
  const names = Object.keys(map);
  let text = '{';
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    text += (i === 0 ? '"' : ',"') + name + '":' + valueJson(map[name]!);
  }
  return text + '}';
}

function valueJson(value: AttributeValue): string {
  if (value.S !== undefined) return '{"S":"' + value.S + '"}';
  if (value.N !== undefined) return '{"N":"' + value.N + '"}';
  if (value.BOOL !== undefined) return value.BOOL ? '{"BOOL":true}' : '{"BOOL":false}';
  if (value.M !== undefined) return '{"M":' + mapJson(value.M) + '}';
  if (value.L !== undefined) {
    let text = '{"L":[';
    for (let i = 0; i < value.L.length; i++) text += (i === 0 ? '' : ',') + valueJson(value.L[i]!);
    return text + ']}';
  }
  if (value.NULL === true) return '{"NULL":true}';
  if (value.B !== undefined) return '{"B":"' + value.B + '"}';
  if (value.SS !== undefined) return '{"SS":' + stringsJson(value.SS) + '}';
  if (value.NS !== undefined) return '{"NS":' + stringsJson(value.NS) + '}';
  if (value.BS !== undefined) return '{"BS":' + stringsJson(value.BS) + '}';
  return JSON.stringify(value);
}

function stringsJson(members: readonly string[]): string {
  return members.length === 0 ? '[]' : '["' + members.join('","') + '"]';
}

/**
 * A map's entries in name order (code unit order, as Array.prototype.sort
 * orders strings); `plain` as {@link itemJson}'s `plainStrings`. `top`: an
 * item's own attributes, whose order is looked up in a one-entry cache
 * first, since the items written to one table mostly share their attribute
 * names in one order (a put then compares names, most of them the same
 * internalized strings, instead of sorting them).
 */
function canonicalMapJson(map: Record<string, AttributeValue>, plain: boolean, top: boolean): string {
  const names = top ? sortedTopNames(Object.keys(map)) : Object.keys(map).sort();
  let text = '{';
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (plain) text += (i === 0 ? '"' : ',"') + name + '":' + canonicalValueJson(map[name]!, true);
    else text += (i === 0 ? '' : ',') + JSON.stringify(name) + ':' + canonicalValueJson(map[name]!, false);
  }
  return text + '}';
}

function canonicalValueJson(value: AttributeValue, plain: boolean): string {
  if (value.S !== undefined) return plain ? '{"S":"' + value.S + '"}' : '{"S":' + JSON.stringify(value.S) + '}';
  if (value.N !== undefined) return '{"N":"' + value.N + '"}';
  if (value.BOOL !== undefined) return value.BOOL ? '{"BOOL":true}' : '{"BOOL":false}';
  if (value.M !== undefined) return '{"M":' + canonicalMapJson(value.M, plain, false) + '}';
  if (value.L !== undefined) {
    let text = '{"L":[';
    for (let i = 0; i < value.L.length; i++) text += (i === 0 ? '' : ',') + canonicalValueJson(value.L[i]!, plain);
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

let cachedNames: readonly string[] = [];
let cachedSorted: readonly string[] = [];

function sortedTopNames(names: string[]): readonly string[] {
  const cached = cachedNames;
  if (names.length === cached.length) {
    let same = true;
    for (let i = 0; i < names.length; i++) {
      if (names[i] !== cached[i]) {
        same = false;
        break;
      }
    }
    if (same) return cachedSorted;
  }
  cachedNames = names;
  cachedSorted = [...names].sort();
  return cachedSorted;
}
