/**
 * A stream record's stored text is built by splicing the store's JSON texts
 * of the images into the record (src/streams/stream-record.ts). These tests
 * pin that text to exactly what `JSON.stringify` of the record object gives
 * (the bytes GetRecords returns), for every event, view type and TTL
 * deletes, and the no-op check's shortcuts to the deep comparison.
 */
import { describe, expect, it } from 'vitest';
import type { StoredItem, WrittenChange } from '../../src/dynamodb/item-store.js';
import type { Table } from '../../src/dynamodb/table-catalog.js';
import type { Item } from '../../src/dynamodb/values/attribute-value.js';
import { itemSize } from '../../src/dynamodb/values/size.js';
import { changeEventName, changeRecordText, type EventName, type StreamViewType } from '../../src/streams/stream-record.js';

const table = {} as Table;
const key: Item = { pk: { S: 'user#1' }, sk: { N: '7' } };
const before: Item = { ...key, name: { S: 'Ada "the Countess" Lovelace ✓ 𝔸' }, '1': { N: '1' }, tags: { SS: ['a', 'b'] }, nested: { M: { z: { L: [{ NULL: true }, { BOOL: false }] }, '0': { B: 'AAEC' } } } };
const after: Item = { ...before, name: { S: 'Ada' }, added: { NS: ['1', '2.5'] } };
const stored = (item: Item): StoredItem => ({ item: JSON.stringify(item), size: itemSize(item) });
const VIEW_TYPES: StreamViewType[] = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'];
const NOW = 1_764_000_123_456;

/** A change as the store hands it to listeners; `oldFromRow` says whether the store read the old row as text (puts). */
function change(oldItem: Item | undefined, newItem: Item | undefined, options: { oldFromRow?: boolean; byService?: boolean } = {}): WrittenChange {
  return {
    table,
    key,
    oldItem,
    newItem,
    newStored: newItem && stored(newItem),
    ...(options.oldFromRow && oldItem ? { oldStored: stored(oldItem) } : {}),
    ...(options.byService ? { byService: true } : {}),
  };
}

/** The record as an object in AWS's member order, serialised: what the text must equal. */
function expectedText(eventID: string, eventName: EventName, viewType: StreamViewType, oldItem: Item | undefined, newItem: Item | undefined, byService: boolean): string {
  const withNew = (viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES') && newItem;
  const withOld = (viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES') && oldItem;
  return JSON.stringify({
    eventID,
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
  const cases: [string, WrittenChange, EventName][] = [
    ['INSERT', change(undefined, after), 'INSERT'],
    ['MODIFY by a put (old image from the stored row)', change(before, after, { oldFromRow: true }), 'MODIFY'],
    ['MODIFY by an update (old image serialised)', change(before, after), 'MODIFY'],
    ['REMOVE', change(before, undefined), 'REMOVE'],
    ['REMOVE by TTL', change(before, undefined, { byService: true }), 'REMOVE'],
  ];
  for (const viewType of VIEW_TYPES) {
    for (const [name, written, eventName] of cases) {
      it(`${name}, ${viewType}: byte for byte what JSON.stringify of the record gives`, () => {
        const text = changeRecordText(written, { eventName, viewType, region: 'eu-west-2', nowMs: NOW });
        const eventID = (JSON.parse(text) as { eventID: string }).eventID;
        expect(eventID).toMatch(/^[0-9a-f]{32}$/);
        expect(text).toBe(expectedText(eventID, eventName, viewType, written.oldItem, written.newItem, written.byService === true));
      });
    }
  }

  it('gives every record its own eventID', () => {
    const ids = new Set(Array.from({ length: 50 }, () => (JSON.parse(changeRecordText(change(undefined, after), { eventName: 'INSERT', viewType: 'KEYS_ONLY', region: 'eu-west-2', nowMs: NOW })) as { eventID: string }).eventID));
    expect(ids.size).toBe(50);
  });
});

describe('whether a change is a record', () => {
  it('an identical overwrite is none, without reading the old item', () => {
    const written = change(before, before, { oldFromRow: true });
    const untouchable = Object.defineProperty({ ...written }, 'oldItem', {
      get: () => {
        throw new Error('parsed the old item');
      },
    }) as WrittenChange;
    expect(changeEventName(untouchable)).toBeUndefined();
  });

  it('an item of another size is MODIFY, without reading the old item', () => {
    const written = change(before, after, { oldFromRow: true });
    const untouchable = Object.defineProperty({ ...written }, 'oldItem', {
      get: () => {
        throw new Error('parsed the old item');
      },
    }) as WrittenChange;
    expect(changeEventName(untouchable)).toBe('MODIFY');
  });

  it('the same attributes in another order are the same item: no record', () => {
    const reordered: Item = Object.fromEntries(Object.entries(before).reverse());
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(before));
    expect(changeEventName(change(before, reordered, { oldFromRow: true }))).toBeUndefined();
  });

  it('a change that keeps the size is MODIFY (the deep comparison decides)', () => {
    const same = { ...before, name: { S: before.name!.S!.replace('Ada', 'Bob') } };
    expect(itemSize(same)).toBe(itemSize(before));
    expect(changeEventName(change(before, same, { oldFromRow: true }))).toBe('MODIFY');
    expect(changeEventName(change(before, same))).toBe('MODIFY');
  });

  it('INSERT, REMOVE, and nothing for a delete of nothing', () => {
    expect(changeEventName(change(undefined, after))).toBe('INSERT');
    expect(changeEventName(change(before, undefined))).toBe('REMOVE');
    expect(changeEventName(change(undefined, undefined))).toBeUndefined();
  });
});
