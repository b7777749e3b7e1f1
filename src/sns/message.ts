import { AwsError } from '../edge/errors.js';
import { invalidParameter } from './arns.js';

/** A message attribute as the API carries it; BinaryValue is base64 text. */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export type MessageAttributes = Record<string, MessageAttributeValue>;

/** One message to publish, checked and ready to deliver. */
export interface MessageToPublish {
  /** The message text, or (MessageStructure json) the text per protocol with a `default`. */
  message: string;
  perProtocol?: Record<string, string>;
  subject?: string;
  attributes?: MessageAttributes;
  messageGroupId?: string;
  messageDeduplicationId?: string;
}

/** SNS's limit on a message: body and attributes (names, types and values) together. */
export const MAX_MESSAGE_BYTES = 262_144;

const parameterValueInvalid = (message: string): AwsError => new AwsError('ParameterValueInvalid', message, 400);

const ATTRIBUTE_NAME = /^[A-Za-z0-9_\-.]+$/;
const TYPED_DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;

/** Checks message attributes in SNS's order and with its ParameterValueInvalid texts. */
export function checkMessageAttributes(attributes: MessageAttributes): void {
  for (const [name, attribute] of Object.entries(attributes)) {
    // Not captured from SNS (no SDK sends an empty name): the text of AWS's own SQS front end's check.
    if (name === '') throw parameterValueInvalid('Message attribute name can not be null or empty');
    if (Buffer.byteLength(name) > 256) throw parameterValueInvalid('Length of message attribute name must be less than 256 bytes.');
    if (!ATTRIBUTE_NAME.test(name)) {
      const bad = [...name].find((c) => !/[A-Za-z0-9_\-.]/.test(c))!;
      const hex = '#x' + bad.codePointAt(0)!.toString(16).toUpperCase();
      throw parameterValueInvalid(`Invalid non-alphanumeric character '${hex}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`);
    }
    if (name.startsWith('.')) throw parameterValueInvalid("Invalid message attribute name starting with character '.' was found.");
    if (name.endsWith('.')) throw parameterValueInvalid("Invalid message attribute name ending with character '.' was found.");
    if (name.includes('..')) throw parameterValueInvalid("Message attribute name can not have successive '.' character.");
    const type = attribute.DataType;
    if (!TYPED_DATA_TYPE.test(type)) {
      throw parameterValueInvalid(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    const binary = type.startsWith('Binary');
    if (attribute.StringValue === undefined && attribute.BinaryValue === undefined) {
      throw parameterValueInvalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
    }
    const field = binary ? 'Binary' : 'String';
    const value = binary ? attribute.BinaryValue : attribute.StringValue;
    if (value === undefined) throw parameterValueInvalid(`The message attribute '${name}' with type '${type}' must use field '${field}'.`);
    if (value === '') throw parameterValueInvalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
    if (type.startsWith('Number') && !isNumberText(value)) throw parameterValueInvalid(`Could not cast message attribute '${name}' value to number.`);
  }
}

/** What SNS accepts as a Number attribute: a decimal, optionally with an exponent. */
const isNumberText = (text: string): boolean => /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(text);

/** The bytes SNS counts against the message size limit. */
export function messageBytes(message: string, attributes: MessageAttributes | undefined): number {
  let size = Buffer.byteLength(message);
  for (const [name, attribute] of Object.entries(attributes ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(attribute.DataType);
    if (attribute.StringValue !== undefined) size += Buffer.byteLength(attribute.StringValue);
    if (attribute.BinaryValue !== undefined) size += Buffer.byteLength(attribute.BinaryValue, 'base64');
  }
  return size;
}

/**
 * Checks a subject as SNS documents it: ASCII text of 1 to 99 characters,
 * starting with a letter, number or punctuation, with no line breaks or
 * control characters.
 */
export function checkSubject(subject: string | undefined): void {
  if (subject === undefined) return;
  if (subject === '' || subject.length >= 100 || /[^\x20-\x7E]/.test(subject) || subject.startsWith(' ')) throw invalidParameter('Subject');
}

/**
 * Reads a MessageStructure=json message: an object whose string members are
 * the messages per protocol, with a `default`.
 */
export function perProtocolMessages(message: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidParameter('Message Structure - JSON message body failed to parse');
  // Members that are not strings are ignored, as SNS does.
  const out: Record<string, string> = {};
  for (const [protocol, text] of Object.entries(parsed)) if (typeof text === 'string') out[protocol] = text;
  if (out.default === undefined) throw invalidParameter('Message Structure - No default entry in JSON message body');
  return out;
}

/** The checks Publish and each PublishBatch entry share, in SNS's order; returns the message to deliver. */
export function checkMessage(entry: {
  Message: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: MessageAttributes;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
}): MessageToPublish {
  checkSubject(entry.Subject);
  if (entry.Message === '') throw invalidParameter('Empty message');
  if (entry.MessageAttributes) checkMessageAttributes(entry.MessageAttributes);
  if (messageBytes(entry.Message, entry.MessageAttributes) > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long');
  let perProtocol: Record<string, string> | undefined;
  if (entry.MessageStructure !== undefined) {
    if (entry.MessageStructure !== 'json') throw invalidParameter('MessageStructure');
    perProtocol = perProtocolMessages(entry.Message);
  }
  return {
    message: entry.Message,
    perProtocol,
    subject: entry.Subject,
    attributes: entry.MessageAttributes && Object.keys(entry.MessageAttributes).length > 0 ? entry.MessageAttributes : undefined,
    messageGroupId: entry.MessageGroupId,
    messageDeduplicationId: entry.MessageDeduplicationId,
  };
}
