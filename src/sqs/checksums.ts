import { createHash, type Hash } from 'node:crypto';

/** A message attribute as SQS stores and returns it (binaries as base64, the JSON wire form). */
export interface StoredAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
  StringListValues?: string[];
  BinaryListValues?: string[];
}

export type StoredAttributes = Record<string, StoredAttributeValue>;

export const md5Hex = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

/**
 * MD5OfMessageAttributes (and MD5OfMessageSystemAttributes) as SQS computes
 * it: the attributes sorted by name, each encoded as length-prefixed (4-byte
 * big-endian) UTF-8 name and data type, a transport byte (1 string, 2 binary,
 * 3 string list, 4 binary list) and the length-prefixed value bytes.
 */
export function md5OfAttributes(attributes: StoredAttributes): string {
  const hash = createHash('md5');
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name]!;
    lengthPrefixed(hash, Buffer.from(name, 'utf8'));
    lengthPrefixed(hash, Buffer.from(value.DataType, 'utf8'));
    if (value.StringValue !== undefined) {
      hash.update(Uint8Array.of(1));
      lengthPrefixed(hash, Buffer.from(value.StringValue, 'utf8'));
    } else if (value.BinaryValue !== undefined) {
      hash.update(Uint8Array.of(2));
      lengthPrefixed(hash, Buffer.from(value.BinaryValue, 'base64'));
    } else if (value.StringListValues !== undefined) {
      hash.update(Uint8Array.of(3));
      for (const item of value.StringListValues) lengthPrefixed(hash, Buffer.from(item, 'utf8'));
    } else if (value.BinaryListValues !== undefined) {
      hash.update(Uint8Array.of(4));
      for (const item of value.BinaryListValues) lengthPrefixed(hash, Buffer.from(item, 'base64'));
    }
  }
  return hash.digest('hex');
}

function lengthPrefixed(hash: Hash, bytes: Buffer): void {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  hash.update(length);
  hash.update(bytes);
}

/** FIFO content-based deduplication: the SHA-256 of the body (not the attributes). */
export const contentDeduplicationId = (body: string): string => createHash('sha256').update(body, 'utf8').digest('hex');
