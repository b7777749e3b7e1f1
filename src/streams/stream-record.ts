import { randomUUID } from 'node:crypto';
import type { StoredItem, WrittenChange } from '../dynamodb/item-store.js';
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

/** INSERT, MODIFY or REMOVE; undefined for a write that changed nothing (no record, as on AWS). */
export function eventNameOf(oldItem: Item | undefined, newItem: Item | undefined): EventName | undefined {
  if (!oldItem && !newItem) return undefined;
  if (!oldItem) return 'INSERT';
  if (!newItem) return 'REMOVE';
  return itemsEqual(oldItem, newItem) ? undefined : 'MODIFY';
}

/**
 * {@link eventNameOf} for a change the store made, answered from the stored
 * texts when it can: the same JSON text is the same item, and equal items
 * have equal sizes (the store keeps each row's size as `itemSize` of its
 * item), so only a change of the same size but another text parses the old
 * item for the deep comparison (attributes in another order are equal).
 */
export function changeEventName(change: WrittenChange): EventName | undefined {
  const { oldStored, newStored } = change;
  if (oldStored && newStored) {
    if (oldStored.item === newStored.item) return undefined;
    if (oldStored.size !== newStored.size) return 'MODIFY';
  }
  return eventNameOf(change.oldItem, change.newItem);
}

/** What a record is made of; images as JSON text with their sizes, already chosen by the view type. */
interface RecordParts {
  eventName: EventName;
  keys: Item;
  newImage: StoredItem | undefined;
  oldImage: StoredItem | undefined;
  viewType: StreamViewType;
  region: string;
  nowMs: number;
  byService: boolean;
}

const withNewImage = (viewType: StreamViewType): boolean => viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES';
const withOldImage = (viewType: StreamViewType): boolean => viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES';

/**
 * The record's JSON text: exactly `JSON.stringify` of its {@link StreamRecordBody}
 * (the same members in the same order), with the images' JSON spliced in as
 * the store holds it instead of being parsed and serialised again, which was
 * most of what a stream cost a write in JavaScript. INSERT has no OldImage
 * and REMOVE no NewImage. SizeBytes applies DynamoDB's item-size rules to
 * Keys plus the images present (AWS does not document the formula).
 * userIdentity marks deletes made by TTL only.
 */
function recordText(parts: RecordParts): string {
  const { newImage, oldImage } = parts;
  const sizeBytes = itemSize(parts.keys) + (newImage?.size ?? 0) + (oldImage?.size ?? 0);
  return (
    `{"eventID":"${randomUUID().replaceAll('-', '')}","eventName":"${parts.eventName}","eventVersion":"1.1","eventSource":"aws:dynamodb",` +
    `"awsRegion":${JSON.stringify(parts.region)},"dynamodb":{"ApproximateCreationDateTime":${Math.floor(parts.nowMs / 1000)},` +
    `"Keys":${JSON.stringify(parts.keys)}${newImage ? `,"NewImage":${newImage.item}` : ''}${oldImage ? `,"OldImage":${oldImage.item}` : ''},` +
    `"SizeBytes":${sizeBytes},"StreamViewType":"${parts.viewType}"}` +
    `${parts.byService ? ',"userIdentity":{"PrincipalId":"dynamodb.amazonaws.com","Type":"Service"}' : ''}}`
  );
}

/** An item as the store would hold it: for images the store did not hand over as text. */
function serialised(item: Item | undefined): StoredItem | undefined {
  return item && { item: JSON.stringify(item), size: itemSize(item) };
}

/**
 * The record of one change the store made, as JSON text (what the stream
 * stores and GetRecords returns). The new item's text is the one the store
 * wrote; the old item's is the one it replaced when the store read the row
 * (puts), else `oldItem` serialised (the caller read it parsed).
 */
export function changeRecordText(
  change: WrittenChange,
  record: { eventName: EventName; viewType: StreamViewType; region: string; nowMs: number },
): string {
  const { viewType } = record;
  // Members spelled out rather than spread from `record`: on this hot path a spread costs V8 a slow property definition per call.
  return recordText({
    eventName: record.eventName,
    keys: change.key,
    newImage: withNewImage(viewType) ? change.newStored : undefined,
    oldImage: withOldImage(viewType) ? (change.oldStored ?? serialised(change.oldItem)) : undefined,
    viewType,
    region: record.region,
    nowMs: record.nowMs,
    byService: change.byService === true,
  });
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
}): StreamRecordBody {
  const { viewType } = input;
  const text = recordText({
    ...input,
    newImage: withNewImage(viewType) ? serialised(input.newItem) : undefined,
    oldImage: withOldImage(viewType) ? serialised(input.oldItem) : undefined,
  });
  return JSON.parse(text) as StreamRecordBody;
}
