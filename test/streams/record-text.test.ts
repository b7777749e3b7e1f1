/**
 * Stream records are stored as their parts by the capture triggers
 * (src/streams/capture-triggers.ts) and assembled when read
 * (src/streams/stream-record.ts): the images' JSON as the items table holds
 * it is spliced into the record. These tests pin the assembled text to
 * exactly what `JSON.stringify` of the record object gives (the bytes
 * GetRecords returns) for every event, view type and TTL deletes, and check
 * the comparison that decides whether a same-size rewrite changed the item.
 * End-to-end capture through the SDK is in capture.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Item } from '../../src/dynamodb/values/attribute-value.js';
import { itemsEqual } from '../../src/dynamodb/values/equality.js';
import { itemSize } from '../../src/dynamodb/values/size.js';
import { EVENT_CODES, eventIdOf, itemTextsDiffer, keysTextOf, storedRecordText, withNewImage, withOldImage, type EventName, type StoredRecordParts, type StreamViewType } from '../../src/streams/stream-record.js';

const key: Item = { pk: { S: 'user#1' }, sk: { N: '7' } };
const before: Item = { ...key, name: { S: 'Ada "the Countess" Lovelace ✓ 𝔸' }, '1': { N: '1' }, tags: { SS: ['a', 'b'] }, nested: { M: { z: { L: [{ NULL: true }, { BOOL: false }] }, '0': { B: 'AAEC' } } } };
const after: Item = { ...before, name: { S: 'Ada' }, added: { NS: ['1', '2.5'] } };
const VIEW_TYPES: StreamViewType[] = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'];
const NOW = 1_764_000_123_456;
const SEQ = 4242;
const stream = (viewType: StreamViewType) => ({ arn: 'arn:aws:dynamodb:eu-west-2:000000000000:table/T/stream/2026-01-01T00:00:00.000', region: 'eu-west-2', viewType, keyNames: ['pk', 'sk'] });

/** The row the triggers store for a change under `viewType` (capture-triggers.ts: what each trigger keeps). */
function storedRow(event: number, viewType: StreamViewType, oldItem: Item | undefined, newItem: Item | undefined): StoredRecordParts {
  const keepsNew = event === EVENT_CODES.INSERT || (event === EVENT_CODES.MODIFY && (withNewImage(viewType) || !withOldImage(viewType)));
  const keepsOld = event >= EVENT_CODES.REMOVE || (event === EVENT_CODES.MODIFY && withOldImage(viewType));
  return {
    seq: SEQ,
    created_at: NOW,
    event,
    new_item: keepsNew ? JSON.stringify(newItem) : null,
    old_item: keepsOld ? JSON.stringify(oldItem) : null,
    new_size: newItem ? itemSize(newItem) : null,
    old_size: oldItem ? itemSize(oldItem) : null,
    record: null,
  };
}

/** The record as an object in AWS's member order, serialised: what the text must equal. */
function expectedText(eventName: EventName, viewType: StreamViewType, oldItem: Item | undefined, newItem: Item | undefined, byService: boolean): string {
  const withNew = withNewImage(viewType) && newItem;
  const withOld = withOldImage(viewType) && oldItem;
  return JSON.stringify({
    eventID: eventIdOf(SEQ),
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-2',
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(NOW / 1000),
      Keys: key,
      ...(withNew ? { NewImage: newItem } : {}),
      ...(withOld ? { OldImage: oldItem } : {}),
      SizeBytes: itemSize(key) + (withNew ? itemSize(newItem) : 0) + (withOld ? itemSize(oldItem) : 0),
      StreamViewType: viewType,
    },
    ...(byService ? { userIdentity: { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' } } : {}),
  });
}

describe('stream record text', () => {
  const cases: [string, number, EventName, Item | undefined, Item | undefined][] = [
    ['INSERT', EVENT_CODES.INSERT, 'INSERT', undefined, after],
    ['MODIFY', EVENT_CODES.MODIFY, 'MODIFY', before, after],
    ['REMOVE', EVENT_CODES.REMOVE, 'REMOVE', before, undefined],
    ['REMOVE by TTL', EVENT_CODES.SERVICE_REMOVE, 'REMOVE', before, undefined],
  ];
  for (const viewType of VIEW_TYPES) {
    for (const [name, event, eventName, oldItem, newItem] of cases) {
      it(`${name}, ${viewType}: byte for byte what JSON.stringify of the record gives`, () => {
        const text = storedRecordText(storedRow(event, viewType, oldItem, newItem), stream(viewType));
        expect(text).toBe(expectedText(eventName, viewType, oldItem, newItem, event === EVENT_CODES.SERVICE_REMOVE));
      });
    }
  }

  it('gives a record stored whole (before capture moved into SQLite) as it was stored', () => {
    const whole = expectedText('INSERT', 'NEW_IMAGE', undefined, after, false).replace(eventIdOf(SEQ), 'f'.repeat(32));
    expect(storedRecordText({ seq: SEQ, created_at: NOW, event: null, new_item: null, old_item: null, new_size: null, old_size: null, record: whole }, stream('NEW_IMAGE'))).toBe(whole);
  });

  it('gives every record its own eventID of 32 hex digits, the same every time it is read', () => {
    const seqs = [1, 2, 3, 255, 256, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 40 - 1, ...Array.from({ length: 1000 }, (_, i) => 1_000_000 + i * 7919)];
    const ids = seqs.map(eventIdOf);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(seqs.length);
    expect(seqs.map(eventIdOf)).toEqual(ids);
  });
});

describe('whether a rewrite of the same size changed the item', () => {
  const text = (item: Item) => JSON.stringify(item);
  const cases: [string, Item, Item][] = [
    ['the same text', before, before],
    ['attributes in another order', before, Object.fromEntries(Object.entries(before).reverse())],
    ['map entries in another order', { m: { M: { a: { S: 'x' }, b: { N: '1' } } } }, { m: { M: { b: { N: '1' }, a: { S: 'x' } } } }],
    ['set members in another order', { s: { SS: ['a', 'b'] }, n: { NS: ['1', '2'] } }, { s: { SS: ['b', 'a'] }, n: { NS: ['2', '1'] } }],
    ['a number written another way', { n: { N: '100' }, l: { L: [{ N: '1.50' }] } }, { n: { N: '1E2' }, l: { L: [{ N: '01.5' }] } }],
    ['numbers of a set written another way', { n: { NS: ['1', '2.0'] } }, { n: { NS: ['2', '1.0'] } }],
    ['a binary spelled otherwise in base64', { b: { B: 'QQ==' } }, { b: { B: 'QR==' } }],
    ['a string value changed', before, { ...before, name: { S: before.name!.S!.replace('Ada', 'Bob') } }],
    ['a letter of a string changed to a digit', { s: { S: 'abc' } }, { s: { S: 'ab1' } }],
    ['an e changed to an E', { s: { S: 'e' } }, { s: { S: 'E' } }],
    ['a number changed', { n: { N: '12' } }, { n: { N: '21' } }],
    ['string values swapped between attributes', { a: { S: 'x' }, b: { S: 'y' } }, { a: { S: 'y' }, b: { S: 'x' } }],
    ['list elements in another order', { l: { L: [{ S: 'x' }, { S: 'y' }] } }, { l: { L: [{ S: 'y' }, { S: 'x' }] } }],
    ['a boolean flipped', { f: { BOOL: true }, g: { BOOL: false } }, { f: { BOOL: false }, g: { BOOL: true } }],
    ['a binary changed', { b: { B: 'QQ==' } }, { b: { B: 'Qg==' } }],
  ];
  for (const [name, a, b] of cases) {
    it(`${name}: answers as the deep comparison of DynamoDB's rules`, () => {
      expect(itemTextsDiffer(text(a), text(b))).toBe(!itemsEqual(a, b));
      expect(itemTextsDiffer(text(b), text(a))).toBe(!itemsEqual(a, b));
    });
  }

  it('finds the items equal or not in the cases that matter to capture', () => {
    // The cases above cover both answers: a check that always said one thing would fail some.
    const answers = new Set(cases.map(([, a, b]) => itemTextsDiffer(text(a), text(b))));
    expect(answers).toEqual(new Set([true, false]));
  });
});

describe('the keys of an item, cut from its JSON', () => {
  const cases: [string, Item, string[]][] = [
    ['the key first', { pk: { S: 'a' }, v: { N: '1' } }, ['pk']],
    ['the key last, after nested values', { v: { L: [{ M: { pk: { S: 'inner' } } }, { SS: ['}', ']'] }] }, m: { M: { pk: { S: 'nested' }, sk: { N: '2' } } }, pk: { S: 'outer' } }, ['pk']],
    ['strings that spell keys and brackets', { note: { S: '"pk":{"S":"fake"}, \\ "}' }, sk: { N: '-1.5' }, pk: { S: 'q"uote\\d' } }, ['pk', 'sk']],
    ['a sort key before its partition key', { sk: { B: 'AAEC' }, x: { BOOL: true }, pk: { S: '𝔸✓' } }, ['pk', 'sk']],
    ['names that need escaping', { 'a"b': { S: 'k' }, 'c\\d': { N: '7' }, z: { NULL: true } }, ['a"b', 'c\\d']],
    ['strings ending in runs of backslashes, and a long one, before the key', { a: { S: 'x\\' }, b: { SS: ['\\\\', '\\"\\'] }, c: { S: 'y'.repeat(5000) + '\\' }, pk: { S: 'k' } }, ['pk']],
  ];
  for (const [name, item, keyNames] of cases) {
    it(`${name}: the key attributes' JSON, in key order`, () => {
      const expected = JSON.stringify(Object.fromEntries(keyNames.map((key) => [key, item[key]])));
      expect(keysTextOf(JSON.stringify(item), keyNames)).toBe(expected);
    });
  }

  it('refuses an item without its key', () => {
    expect(() => keysTextOf(JSON.stringify({ other: { M: { pk: { S: 'nested' } } } }), ['pk'])).toThrow(/without its key/);
  });
});
