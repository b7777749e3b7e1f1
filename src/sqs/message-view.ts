import { md5OfAttributes, type StoredAttributes } from './checksums.js';
import type { MessageRow } from './message-store.js';
import { setOwn } from '../own-property.js';

const SYSTEM_ATTRIBUTE_NAMES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
] as const;

export const KNOWN_SYSTEM_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(['All', ...SYSTEM_ATTRIBUTE_NAMES]);

/** The system attributes of a received message, as ReceiveMessage's `Attributes` map writes them (all strings). */
export function systemAttributesOf(row: MessageRow): Record<string, string> {
  const out: Record<string, string> = {
    SenderId: row.sender_id,
    SentTimestamp: String(row.sent_at),
    ApproximateReceiveCount: String(row.receive_count),
    ApproximateFirstReceiveTimestamp: String(row.first_received_at ?? row.sent_at),
  };
  if (row.sequence_number) out.SequenceNumber = row.sequence_number;
  if (row.deduplication_id) out.MessageDeduplicationId = row.deduplication_id;
  if (row.group_id) out.MessageGroupId = row.group_id;
  if (row.system_attributes) {
    const trace = (JSON.parse(row.system_attributes) as StoredAttributes).AWSTraceHeader;
    if (trace?.StringValue) out.AWSTraceHeader = trace.StringValue;
  }
  if (row.dead_letter_source_arn) out.DeadLetterQueueSourceArn = row.dead_letter_source_arn;
  return out;
}

/** The requested subset: `All`, or the names listed. */
export function selectSystemAttributes(row: MessageRow, names: ReadonlySet<string>): Record<string, string> | undefined {
  if (names.size === 0) return undefined;
  const all = systemAttributesOf(row);
  if (names.has('All')) return all;
  const out: Record<string, string> = {};
  for (const name of names) if (all[name] !== undefined) out[name] = all[name];
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Message attributes a ReceiveMessage asked for: `All` or `.*`, exact names, or `prefix.*`. */
export function selectMessageAttributes(row: MessageRow, names: readonly string[]): StoredAttributes | undefined {
  if (!row.message_attributes || names.length === 0) return undefined;
  const stored = JSON.parse(row.message_attributes) as StoredAttributes;
  const wanted = (name: string): boolean =>
    names.some((pattern) => pattern === 'All' || pattern === '.*' || pattern === name || (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -1))));
  const out: StoredAttributes = {};
  for (const [name, value] of Object.entries(stored)) if (wanted(name)) setOwn(out, name, value);
  return Object.keys(out).length > 0 ? out : undefined;
}

/** One message of a ReceiveMessage answer (JSON protocol shape); MD5OfMessageAttributes covers the attributes returned. */
export function receivedMessage(row: MessageRow, receiptHandle: string, systemNames: ReadonlySet<string>, attributeNames: readonly string[]): Record<string, unknown> {
  const attributes = selectSystemAttributes(row, systemNames);
  const messageAttributes = selectMessageAttributes(row, attributeNames);
  return {
    MessageId: row.message_id,
    ReceiptHandle: receiptHandle,
    MD5OfBody: row.md5_body,
    Body: row.body,
    ...(attributes ? { Attributes: attributes } : {}),
    ...(messageAttributes ? { MD5OfMessageAttributes: md5OfAttributes(messageAttributes), MessageAttributes: messageAttributes } : {}),
  };
}
