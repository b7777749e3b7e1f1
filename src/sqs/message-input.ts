import type { AwsError } from '../edge/errors.js';
import type { StoredAttributes, StoredAttributeValue } from './checksums.js';
import { invalidParameter, missingParameter, notValidForQueueType, sqsError } from './errors.js';
import { setOwn } from '../own-property.js';

/** A message to send, checked: what the store writes. */
export interface MessageInput {
  body: string;
  attributes?: StoredAttributes;
  systemAttributes?: StoredAttributes;
  delaySeconds?: number;
  groupId?: string;
  deduplicationId?: string;
}

/** What SendMessage and its batch entries carry, as the JSON protocol (or the internal API) gives it. */
export interface RawMessage {
  MessageBody?: string;
  DelaySeconds?: number;
  MessageAttributes?: Record<string, RawAttributeValue>;
  MessageSystemAttributes?: Record<string, RawAttributeValue>;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
}

export interface RawAttributeValue {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: string | Uint8Array;
  StringListValues?: unknown[];
  BinaryListValues?: unknown[];
}

const ALLOWED_CHARACTERS = '#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF';

/** The first character SQS refuses in a body or attribute (XML 1.0's Char production), if any. */
function firstInvalidCharacter(text: string): number | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c <= 0xd7ff) continue;
    if (c === 0x9 || c === 0xa || c === 0xd || (c >= 0xe000 && c <= 0xfffd)) continue;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    return c;
  }
  return undefined;
}

const invalidCharacter = (c: number, where: string): AwsError =>
  sqsError('InvalidMessageContents', `Invalid binary character '#x${c.toString(16).toUpperCase()}' was found in the ${where}, the set of allowed characters is ${ALLOWED_CHARACTERS}`);

/** Batch entry ids and FIFO ids: 1 to 128 (ids 80) alphanumerics and punctuation. */
const PUNCTUATED_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * Checks one message against SendMessage's rules and the queue's type and size
 * limit, and returns it normalised (binaries as base64). Throws the AwsError
 * AWS answers (a batch turns it into a failed entry).
 */
export function checkMessage(raw: RawMessage, queue: { fifo: boolean; maximumMessageSize: number }): MessageInput {
  const body = raw.MessageBody;
  if (body === undefined || body === null || body === '') throw missingParameter('MessageBody');
  const bad = firstInvalidCharacter(body);
  if (bad !== undefined) throw invalidCharacter(bad, 'message body');

  const attributes = raw.MessageAttributes ? checkAttributes(raw.MessageAttributes, 'user') : undefined;
  const systemAttributes = raw.MessageSystemAttributes ? checkSystemAttributes(raw.MessageSystemAttributes) : undefined;

  const size = Buffer.byteLength(body, 'utf8') + attributesSize(attributes);
  if (size > queue.maximumMessageSize) {
    throw sqsError('InvalidParameterValue', `One or more parameters are invalid. Reason: Message must be shorter than ${queue.maximumMessageSize} bytes.`);
  }

  const delay = raw.DelaySeconds;
  if (delay !== undefined && delay !== null) {
    if (!Number.isInteger(delay) || delay < 0 || delay > 900) throw invalidParameter('DelaySeconds', delay, 'DelaySeconds must be >= 0 and <= 900.');
    // FIFO queues have only the queue's delay.
    if (queue.fifo && delay !== 0) throw notValidForQueueType('DelaySeconds', delay);
  }

  const groupId = raw.MessageGroupId ?? undefined;
  const deduplicationId = raw.MessageDeduplicationId ?? undefined;
  if (groupId !== undefined && !PUNCTUATED_ID.test(groupId)) {
    throw sqsError('InvalidParameterValue', 'MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
  }
  if (deduplicationId !== undefined) {
    if (!queue.fifo) throw notValidForQueueType('MessageDeduplicationId', deduplicationId);
    if (!PUNCTUATED_ID.test(deduplicationId)) {
      throw sqsError('InvalidParameterValue', 'MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
    }
  }
  if (queue.fifo && groupId === undefined) throw missingParameter('MessageGroupId');

  return {
    body,
    ...(attributes && Object.keys(attributes).length > 0 ? { attributes } : {}),
    ...(systemAttributes && Object.keys(systemAttributes).length > 0 ? { systemAttributes } : {}),
    ...(delay !== undefined && delay !== null ? { delaySeconds: delay } : {}),
    ...(groupId !== undefined ? { groupId } : {}),
    ...(deduplicationId !== undefined ? { deduplicationId } : {}),
  };
}

/** Name, type and value bytes count toward the message size. */
function attributesSize(attributes: StoredAttributes | undefined): number {
  let size = 0;
  for (const [name, value] of Object.entries(attributes ?? {})) {
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.DataType, 'utf8');
    if (value.StringValue !== undefined) size += Buffer.byteLength(value.StringValue, 'utf8');
    if (value.BinaryValue !== undefined) size += Buffer.from(value.BinaryValue, 'base64').length;
  }
  return size;
}

const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;

function checkAttributes(raw: Record<string, RawAttributeValue>, kind: 'user'): StoredAttributes {
  const names = Object.keys(raw);
  if (names.length > 10) throw sqsError('InvalidParameterValue', `Number of message attributes [${names.length}] exceeds the allowed maximum [10].`);
  const out: StoredAttributes = {};
  for (const name of names) {
    if (!ATTRIBUTE_NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || /^(aws\.|amazon\.)/i.test(name)) {
      throw sqsError('InvalidParameterValue', `Message (${kind}) attribute name '${name}' is invalid.`);
    }
    setOwn(out, name, checkAttributeValue(name, raw[name]!, kind));
  }
  return out;
}

function checkAttributeValue(name: string, raw: RawAttributeValue, kind: 'user' | 'system'): StoredAttributeValue {
  const dataType = raw.DataType;
  if (dataType === undefined || dataType === null || dataType === '') {
    throw sqsError('InvalidParameterValue', `The message (${kind}) attribute '${name}' must contain a non-empty message attribute type.`);
  }
  const base = /^(String|Number|Binary)(\.[A-Za-z0-9_.-]{1,256})?$/.exec(dataType)?.[1];
  if (!base || dataType.length > 256) {
    throw sqsError(
      'InvalidParameterValue',
      `The type of message (${kind}) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
    );
  }
  if (raw.StringListValues !== undefined || raw.BinaryListValues !== undefined) {
    throw sqsError('InvalidParameterValue', 'Message attribute list values in SendMessage operation are not supported.');
  }
  if (base === 'Binary') {
    const binary = raw.BinaryValue;
    const base64 = binary === undefined || binary === null ? '' : typeof binary === 'string' ? binary : Buffer.from(binary).toString('base64');
    if (base64 === '' || raw.StringValue !== undefined) {
      throw sqsError('InvalidParameterValue', `The message (${kind}) attribute '${name}' must contain a non-empty message attribute value for message attribute type '${base}'.`);
    }
    return { DataType: dataType, BinaryValue: base64 };
  }
  const text = raw.StringValue;
  if (text === undefined || text === null || text === '' || raw.BinaryValue !== undefined) {
    throw sqsError('InvalidParameterValue', `The message (${kind}) attribute '${name}' must contain a non-empty message attribute value for message attribute type '${base}'.`);
  }
  const bad = firstInvalidCharacter(text);
  if (bad !== undefined) throw invalidCharacter(bad, `message (${kind}) attribute '${name}'`);
  if (base === 'Number' && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) {
    throw sqsError('InvalidParameterValue', `Can't cast the value of message (${kind}) attribute '${name}' to a number.`);
  }
  return { DataType: dataType, StringValue: text };
}

/** The only system attribute a sender may set is AWSTraceHeader, a String. */
function checkSystemAttributes(raw: Record<string, RawAttributeValue>): StoredAttributes {
  const out: StoredAttributes = {};
  for (const [name, value] of Object.entries(raw)) {
    if (name !== 'AWSTraceHeader') throw sqsError('InvalidParameterValue', `Message system attribute name '${name}' is invalid.`);
    if (value.DataType !== 'String') throw sqsError('InvalidParameterValue', `Message system attribute '${name}' must be of type 'String'.`);
    out[name] = checkAttributeValue(name, value, 'system');
  }
  return out;
}
