/**
 * DynamoDB attribute values exactly as they travel in AWS JSON 1.0: binaries are
 * base64 strings, numbers are decimal strings. Eddy stores and evaluates items in
 * this wire shape so nothing is converted on the hot path.
 */
export interface AttributeValue {
  S?: string;
  N?: string;
  B?: string;
  SS?: string[];
  NS?: string[];
  BS?: string[];
  M?: Record<string, AttributeValue>;
  L?: AttributeValue[];
  NULL?: boolean;
  BOOL?: boolean;
}

export type Item = Record<string, AttributeValue>;

export type AttributeType = 'S' | 'N' | 'B' | 'SS' | 'NS' | 'BS' | 'M' | 'L' | 'NULL' | 'BOOL';

/** The type tag of a value that has already been validated (exactly one member set). */
export function typeOf(value: AttributeValue): AttributeType {
  for (const key in value) return key as AttributeType;
  throw new Error('empty attribute value');
}
