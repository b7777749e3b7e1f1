// SNS subscription filter policies: the same pattern family as EventBridge, with
// SNS's limits and reason texts, matched either against the message attributes
// (FilterPolicyScope MessageAttributes, the default) or the JSON message body.

import { PatternSyntaxError } from './errors.js';
import { compileLevel, parsePatternObject } from './pattern.js';

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** A message attribute in the SNS/SQS API shape. */
export interface SnsMessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: unknown;
}

export interface SnsFilterPolicy {
  /** `body` is the published Message string. */
  matches(message: { messageAttributes?: Record<string, SnsMessageAttribute>; body: string }): boolean;
}

// Limits from the SNS guide ("Filter policy constraints").
export const MAX_FILTER_POLICY_BYTES = 256 * 1024;
export const MAX_FILTER_POLICY_KEYS = 5;
export const MAX_FILTER_POLICY_COMBINATIONS = 150;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The number of combinations SNS counts against its limit of 150: each matcher
 * array counts its length times the depth of its key, the counts of the keys of
 * one object multiply, and the branches of `$or` add up (the guide's example:
 * four values three levels deep and three values two levels deep, 3 x 4 x 2 x 3 = 72).
 * Also checks the shape SNS checks before the matchers, in its order.
 * (The SNS guide and localstack's validated snapshots agree on this counting.)
 */
function combinations(level: Record<string, unknown>, depth: number, scope: FilterPolicyScope): number {
  let product = 1;
  for (const [key, spec] of Object.entries(level)) {
    if (key === '$or') {
      // A malformed $or is refused by compileLevel, with its own reasons.
      if (Array.isArray(spec)) product *= spec.reduce((sum: number, branch) => sum + (isPlainObject(branch) ? combinations(branch, depth, scope) : 0), 0);
    } else if (Array.isArray(spec)) {
      if (spec.length === 0) throw new PatternSyntaxError('Empty arrays are not allowed');
      product *= spec.length * depth;
    } else if (isPlainObject(spec)) {
      if (scope === 'MessageAttributes') {
        throw new PatternSyntaxError('Filter policy scope MessageAttributes does not support nested filter policy', { namesFilterPolicy: false });
      }
      product *= combinations(spec, depth + 1, scope);
    } else {
      throw new PatternSyntaxError(`"${key}" must be an object or an array`);
    }
  }
  return product;
}

/**
 * The value a filter policy sees for one attribute: String (and custom
 * `String.<x>` types) as a string, Number as a number, String.Array as the parsed
 * JSON array (matching when any element does). Binary attributes are never
 * compared, so they count as absent.
 */
function attributeValue(attribute: SnsMessageAttribute): unknown {
  const { DataType: type, StringValue: text } = attribute;
  if (text === undefined) return undefined;
  if (type === 'String.Array') {
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  if (type === 'Number' || type.startsWith('Number.')) {
    const number = Number(text);
    return text.trim() !== '' && Number.isFinite(number) ? number : text;
  }
  if (type === 'String' || type.startsWith('String.')) return text;
  return undefined;
}

/**
 * Validates a FilterPolicy attribute value under SNS's rules and limits and
 * compiles it. An empty string is the empty policy (SNS's way to clear one), which
 * matches every message. Throws PatternSyntaxError with SNS's reason text.
 */
export function compileSnsFilterPolicy(policy: string, scope: FilterPolicyScope): SnsFilterPolicy {
  // Reason text unverified against AWS (taken from a peer emulator).
  if (Buffer.byteLength(policy, 'utf8') > MAX_FILTER_POLICY_BYTES) throw new PatternSyntaxError('Filter policy is too long');
  // SNS's text for unparsable JSON; for JSON that is not an object it is unverified.
  const parsed = parsePatternObject(policy.trim() === '' ? '{}' : policy, 'failed to parse JSON.', 'failed to parse JSON.');
  if (Object.keys(parsed).length > MAX_FILTER_POLICY_KEYS) {
    throw new PatternSyntaxError(`Filter policy can not have more than ${MAX_FILTER_POLICY_KEYS} keys`);
  }
  if (combinations(parsed, 1, scope) > MAX_FILTER_POLICY_COMBINATIONS) throw new PatternSyntaxError('Filter policy is too complex');
  if (Object.keys(parsed).length === 0) return { matches: () => true };
  const test = compileLevel(parsed, 'sns');

  if (scope === 'MessageBody') {
    return {
      matches: ({ body }) => {
        let parsedBody: unknown;
        try {
          parsedBody = JSON.parse(body);
        } catch {
          return false; // body policies assume a JSON object payload
        }
        return isPlainObject(parsedBody) && test(parsedBody);
      },
    };
  }
  return {
    matches: ({ messageAttributes }) => {
      // A message without attributes matches no policy with keys, not even {"exists": false}.
      if (!messageAttributes) return false;
      const names = Object.keys(messageAttributes);
      if (names.length === 0) return false;
      const view: Record<string, unknown> = {};
      for (const name of names) {
        const value = attributeValue(messageAttributes[name]!);
        if (value !== undefined) view[name] = value;
      }
      return test(view);
    },
  };
}
