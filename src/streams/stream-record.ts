import { randomUUID } from 'node:crypto';
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
 * Builds the record for one change. Images follow the view type; INSERT has no
 * OldImage and REMOVE no NewImage. SizeBytes applies DynamoDB's item-size
 * rules to Keys plus the images present (AWS does not document the formula).
 * userIdentity marks deletes made by TTL only.
 */
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
  const withNew = (viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES') && input.newItem;
  const withOld = (viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES') && input.oldItem;
  const sizeBytes = itemSize(input.keys) + (withNew ? itemSize(input.newItem!) : 0) + (withOld ? itemSize(input.oldItem!) : 0);
  return {
    eventID: randomUUID().replaceAll('-', ''),
    eventName: input.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: input.region,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(input.nowMs / 1000),
      Keys: input.keys,
      ...(withNew ? { NewImage: input.newItem! } : {}),
      ...(withOld ? { OldImage: input.oldItem! } : {}),
      SizeBytes: sizeBytes,
      StreamViewType: viewType,
    },
    ...(input.byService ? { userIdentity: { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' } as const } : {}),
  };
}
