/**
 * The stored JSON of an item (src/dynamodb/values/item-json.ts): built by
 * quoting strings for items parsed from a body without a backslash, it must be
 * the very text JSON.stringify writes, since reads answer with it. The
 * canonical text (tables with a stream) must be one text per item, whatever
 * the order of its attributes and map entries and however it was sent, since
 * stream capture tells a change from a rewrite by comparing texts.
 */
import { describe, expect, it } from 'vitest';
import type { AttributeValue, Item } from '../../../src/dynamodb/values/attribute-value.js';
import { itemJson } from '../../../src/dynamodb/values/item-json.js';
import { validateSizedItem } from '../../../src/dynamodb/values/validate.js';
import { itemsEqual as equalItems } from '../../../src/dynamodb/values/equality.js';
import { generator } from '../../helpers/random.js';

// Strings a body without a backslash can carry: no quotation mark, backslash or control character.
const PIECES = ['a', 'Z', '0', '9', ' ', '/', "'", '<', '{', '}', '[', ']', ':', ',', 'é', 'ß', '✓', '\u2028', '\u007f', '😀', '\ufffd', '中文'];
const NAMES = ['pk', 'sk', 'name', '__proto__', 'constructor', 'toString', '0', '1', '10', '2', '4294967295', '-1', '01', 'a.b', '#x', ':y', 'é'];
const NUMBERS = ['0', '1', '-1', '1.5', '-0.25', '12345678901234567890123456789012345678', '1E+20', '1E-10'];
const BINARIES = ['', 'AA==', 'AAE=', 'AAEC', '/w==', '+/+/'];

function text(next: () => number): string {
  let out = '';
  const length = Math.floor(next() * 6);
  for (let i = 0; i < length; i++) out += PIECES[Math.floor(next() * PIECES.length)];
  return out;
}

function pick<T>(next: () => number, from: readonly T[]): T {
  return from[Math.floor(next() * from.length)]!;
}

/** A value as a client sends it (sets without duplicates). */
function value(next: () => number, depth: number): unknown {
  const kind = Math.floor(next() * (depth > 3 ? 9 : 11));
  const distinct = (make: () => string) => [...new Set(Array.from({ length: 1 + Math.floor(next() * 4) }, make))];
  switch (kind) {
    case 0:
    case 1:
      return { S: text(next) };
    case 2:
      return { N: pick(next, NUMBERS) };
    case 3:
      return { B: pick(next, BINARIES) };
    case 4:
      return { BOOL: next() < 0.5 };
    case 5:
      return { NULL: true };
    case 6:
      return { SS: distinct(() => text(next)) };
    case 7:
      return { NS: distinct(() => pick(next, NUMBERS.slice(0, 6))) };
    case 8:
      return { BS: distinct(() => pick(next, BINARIES.slice(1))) };
    case 9:
      return { L: Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1)) };
    default:
      return { M: map(next, depth + 1) };
  }
}

function map(next: () => number, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const count = Math.floor(next() * 5);
  for (let i = 0; i < count; i++) {
    const name = next() < 0.5 ? pick(next, NAMES) : text(next) || 'n';
    // Own properties, "__proto__" too, as JSON.parse makes them.
    Object.defineProperty(out, name, { value: value(next, depth), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The item a put of `body` stores: parsed from the JSON text and validated, as the server does. */
function validatedFromBody(body: string): Item {
  expect(body).not.toContain('\\');
  return validateSizedItem(JSON.parse(body) as unknown).item;
}

describe('itemJson', () => {
  it('writes what JSON.stringify writes for items parsed from bodies without a backslash (2,000 random items)', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const { next } = generator(seed);
      const item = validatedFromBody(JSON.stringify({ pk: { S: `k${seed}` }, ...map(next, 1) }));
      const expected = JSON.stringify(item);
      if (itemJson(item, true) !== expected) expect({ seed, text: itemJson(item, true) }).toEqual({ seed, text: expected });
    }
  });

  it('keeps JSON.stringify order: integer-like names first, "__proto__" as an attribute', () => {
    const item = validatedFromBody('{"b":{"S":"1"},"10":{"S":"2"},"__proto__":{"M":{"z":{"N":"1"},"2":{"N":"2"}}},"1":{"L":[]},"a":{"M":{}}}');
    expect(itemJson(item, true)).toBe('{"1":{"L":[]},"10":{"S":"2"},"b":{"S":"1"},"__proto__":{"M":{"2":{"N":"2"},"z":{"N":"1"}}},"a":{"M":{}}}');
    expect(itemJson(item, true)).toBe(JSON.stringify(item));
  });

  it('writes sets as validation sorted and normalized them', () => {
    const item = validatedFromBody('{"ss":{"SS":["b","a"]},"ns":{"NS":["10","1.50","-2"]},"bs":{"BS":["AQ==","AA=="]}}');
    expect(itemJson(item, true)).toBe('{"ss":{"SS":["a","b"]},"ns":{"NS":["-2","1.5","10"]},"bs":{"BS":["AA==","AQ=="]}}');
  });

  it('leaves items that may hold characters to escape to JSON.stringify', () => {
    const item: Item = { s: { S: 'quote " backslash \\ newline \n tab \t nul \u0000 lone \ud800' }, m: { M: { 'a"b': { SS: ['x\\y'] } } } };
    const text = itemJson(item, false);
    expect(text).toBe(JSON.stringify(item));
    expect(JSON.parse(text)).toEqual(item);
    expect(itemJson(item, undefined)).toBe(text);
  });

  it('hands a value of any other shape to JSON.stringify', () => {
    const odd = { odd: { X: 1 } as unknown as AttributeValue };
    expect(itemJson(odd, true)).toBe('{"odd":{"X":1}}');
  });

  describe('canonical', () => {
    const PK = { hashKey: { name: 'pk' } };
    /** `value` with the entries of every map (and the item) in reverse order: the same item, written otherwise. */
    const reversed = (item: Record<string, AttributeValue>): Record<string, AttributeValue> => {
      const out: Record<string, AttributeValue> = {};
      for (const name of Object.keys(item).reverse()) Object.defineProperty(out, name, { value: reversedValue(item[name]!), enumerable: true, writable: true, configurable: true });
      return out;
    };
    const reversedValue = (value: AttributeValue): AttributeValue =>
      value.M ? { M: reversed(value.M) } : value.L ? { L: value.L.map(reversedValue) } : value;

    it('is one text per item: the same for its attributes in any order, sent with or without escapes, and parses back to the item (2,000 random items)', () => {
      const texts = new Map<string, Item>();
      for (let seed = 1; seed <= 2000; seed++) {
        const { next } = generator(seed);
        const body = JSON.stringify({ pk: { S: `k${seed}` }, ...map(next, 1) });
        const item = validatedFromBody(body);
        const text = itemJson(item, true, PK);
        const others = [itemJson(item, false, PK), itemJson(reversed(item), true, PK), itemJson(reversed(item), false, PK)];
        if (others.some((other) => other !== text)) expect({ seed, others }).toEqual({ seed, others: [text, text, text] });
        if (!equalItems(JSON.parse(text) as Item, item)) expect({ seed, parsed: JSON.parse(text) }).toEqual({ seed, parsed: item });
        // One text, one item: two seeds with one text made equal items (a random "pk" attribute may override the key).
        const seen = texts.get(text);
        if (seen && !equalItems(seen, item)) expect({ seed, item }).toEqual({ seed, item: seen });
        texts.set(text, item);
      }
      expect(texts.size).toBeGreaterThan(1990);
    });

    it('writes names in code unit order at every depth, integer-like ones too, and lists in their own order (an item without the key attributes: they come first when present)', () => {
      const item = validatedFromBody('{"b":{"S":"1"},"10":{"S":"2"},"__proto__":{"M":{"z":{"N":"1"},"2":{"N":"2"}}},"1":{"L":[{"S":"y"},{"S":"x"}]},"B":{"M":{}},"é":{"NULL":true}}');
      expect(itemJson(item, true, PK)).toBe('{"1":{"L":[{"S":"y"},{"S":"x"}]},"10":{"S":"2"},"B":{"M":{}},"__proto__":{"M":{"2":{"N":"2"},"z":{"N":"1"}}},"b":{"S":"1"},"é":{"NULL":true}}');
    });

    it("writes the table's key attributes first, partition key then sort key, then the other names in order", () => {
      const item = validatedFromBody('{"a":{"S":"1"},"sk":{"N":"2"},"z":{"S":"3"},"pk":{"S":"4"},"b":{"M":{"pk":{"N":"5"},"a":{"N":"6"}}}}');
      expect(itemJson(item, true, { hashKey: { name: 'pk' }, rangeKey: { name: 'sk' } })).toBe('{"pk":{"S":"4"},"sk":{"N":"2"},"a":{"S":"1"},"b":{"M":{"a":{"N":"6"},"pk":{"N":"5"}}},"z":{"S":"3"}}');
      // The same names in the same order, for a table with other keys: another order, not the one remembered.
      expect(itemJson(item, true, { hashKey: { name: 'z' }, rangeKey: { name: 'a' } })).toBe('{"z":{"S":"3"},"a":{"S":"1"},"b":{"M":{"a":{"N":"6"},"pk":{"N":"5"}}},"pk":{"S":"4"},"sk":{"N":"2"}}');
      expect(itemJson(item, true, { hashKey: { name: 'z' } })).toBe('{"z":{"S":"3"},"a":{"S":"1"},"b":{"M":{"a":{"N":"6"},"pk":{"N":"5"}}},"pk":{"S":"4"},"sk":{"N":"2"}}');
      expect(itemJson(item, false, { hashKey: { name: 'sk' } })).toBe('{"sk":{"N":"2"},"a":{"S":"1"},"b":{"M":{"a":{"N":"6"},"pk":{"N":"5"}}},"pk":{"S":"4"},"z":{"S":"3"}}');
    });

    it('escapes what needs escaping, names too, and sorts by the names themselves', () => {
      const item: Item = { 'z"': { S: 'line\nbreak \u0000' }, a: { SS: ['q"', 'r\\s'] }, 'a\n': { M: { y: { S: '\t' }, 'x"': { N: '1' } } } };
      const text = itemJson(item, false, PK);
      expect(text).toBe(`{"a":{"SS":${JSON.stringify(['q"', 'r\\s'])}},"a\\n":{"M":{"x\\"":{"N":"1"},"y":{"S":"\\t"}}},"z\\"":{"S":${JSON.stringify('line\nbreak \u0000')}}}`);
      expect(JSON.parse(text)).toEqual(item);
    });

    it('sorts every item of a shape it saw before, and items of another shape in between', () => {
      // The attribute order of the last item is remembered: items alternating between shapes, and one of the same names in another order.
      const first = validatedFromBody('{"pk":{"S":"1"},"b":{"N":"1"},"a":{"N":"2"}}');
      const second = validatedFromBody('{"pk":{"S":"2"},"c":{"N":"1"}}');
      const third = validatedFromBody('{"a":{"N":"2"},"pk":{"S":"1"},"b":{"N":"1"}}');
      for (let round = 0; round < 3; round++) {
        expect(itemJson(first, true, PK)).toBe('{"pk":{"S":"1"},"a":{"N":"2"},"b":{"N":"1"}}');
        expect(itemJson(first, true, PK)).toBe('{"pk":{"S":"1"},"a":{"N":"2"},"b":{"N":"1"}}');
        expect(itemJson(second, true, PK)).toBe('{"pk":{"S":"2"},"c":{"N":"1"}}');
        expect(itemJson(third, true, PK)).toBe('{"pk":{"S":"1"},"a":{"N":"2"},"b":{"N":"1"}}');
      }
    });
  });
});
