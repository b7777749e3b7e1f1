import { describe, expect, it } from 'vitest';
import {
  compileSnsFilterPolicy,
  PatternSyntaxError,
  snsInvalidParameterMessage,
  type FilterPolicyScope,
  type SnsMessageAttribute,
} from '../../src/event-patterns/index.js';

const S = (value: string): SnsMessageAttribute => ({ DataType: 'String', StringValue: value });
const N = (value: string): SnsMessageAttribute => ({ DataType: 'Number', StringValue: value });
const A = (values: unknown[]): SnsMessageAttribute => ({ DataType: 'String.Array', StringValue: JSON.stringify(values) });
const B = (): SnsMessageAttribute => ({ DataType: 'Binary', BinaryValue: Buffer.from('x') });

/** Whether `policy` (MessageAttributes scope) accepts a message with these attributes. */
function byAttributes(policy: object, messageAttributes?: Record<string, SnsMessageAttribute>): boolean {
  return compileSnsFilterPolicy(JSON.stringify(policy), 'MessageAttributes').matches({ messageAttributes, body: 'hello' });
}

/** Whether `policy` (MessageBody scope) accepts a message with this body. */
function byBody(policy: object, body: unknown): boolean {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return compileSnsFilterPolicy(JSON.stringify(policy), 'MessageBody').matches({ body: text });
}

/** The PatternSyntaxError for an invalid policy. */
function rejection(policy: string | object, scope: FilterPolicyScope = 'MessageAttributes'): PatternSyntaxError {
  try {
    compileSnsFilterPolicy(typeof policy === 'string' ? policy : JSON.stringify(policy), scope);
  } catch (error) {
    expect(error).toBeInstanceOf(PatternSyntaxError);
    return error as PatternSyntaxError;
  }
  throw new Error(`policy was accepted: ${JSON.stringify(policy)}`);
}

describe('SNS filter policy on message attributes', () => {
  // The example message of the SNS guide.
  const attributes = {
    customer_interests: A(['soccer', 'rugby', 'hockey']),
    store: S('example_corp'),
    event: S('order_placed'),
    price_usd: N('210.75'),
  };

  it('accepts the guide\'s example message for its example policy', () => {
    const policy = {
      store: ['example_corp'],
      event: [{ 'anything-but': 'order_cancelled' }],
      customer_interests: ['rugby', 'football', 'baseball'],
      price_usd: [{ numeric: ['>=', 100] }],
    };
    expect(byAttributes(policy, attributes)).toBe(true);
    expect(byAttributes({ ...policy, store: ['other_corp'] }, attributes)).toBe(false);
  });

  it.each([
    // [matchers, attribute, expected]
    [['rugby'], S('rugby'), true],
    [['rugby'], S('Rugby'), false],
    [['rugby', 'tennis'], A(['baseball', 'tennis']), true],
    [['rugby'], A(['baseball']), false],
    [[{ prefix: 'bas' }], S('baseball'), true],
    [[{ prefix: 'bas' }], A(['rugby', 'basketball']), true],
    [[{ suffix: 'ball' }], S('baseball'), true],
    [[{ suffix: 'ball' }], S('rugby'), false],
    [[{ 'equals-ignore-case': 'RUGBY' }], S('rugby'), true],
    [[{ 'anything-but': ['rugby', 'tennis'] }], S('baseball'), true],
    [[{ 'anything-but': ['rugby', 'tennis'] }], S('rugby'), false],
    [[{ 'anything-but': ['rugby', 'tennis'] }], A(['rugby', 'baseball']), true],
    [[{ 'anything-but': ['rugby', 'tennis'] }], A(['rugby', 'tennis']), false],
    [[{ 'anything-but': { prefix: 'bas' } }], S('rugby'), true],
    [[{ 'anything-but': { prefix: 'bas' } }], S('baseball'), false],
    [[{ numeric: ['=', 301.5] }], N('301.5'), true],
    [[{ numeric: ['=', 301.5] }], N('3.015e2'), true],
    [[{ numeric: ['>', 0, '<=', 150] }], N('150'), true],
    [[{ numeric: ['>', 0, '<=', 150] }], N('150.5'), false],
    [[{ numeric: ['<', 0] }], N('-1'), true],
    [[{ numeric: ['>', 0] }], S('5'), false],
    [[301.5], N('301.5'), true],
    [[301.5], S('301.5'), false],
    [['301.5'], N('301.5'), false],
    [[{ 'anything-but': [100, 500] }], N('101'), true],
    [[{ 'anything-but': [100, 500] }], N('100'), false],
    [[{ numeric: ['>', 0] }], A([1, 'x']), true],
    [[true], A([true]), true],
    [['x'], { DataType: 'String.color', StringValue: 'x' }, true],
    [[{ cidr: '10.0.0.0/24' }], S('10.0.0.7'), true],
    [[{ cidr: '10.0.0.0/24' }], S('10.0.1.7'), false],
    [['x'], B(), false],
    [[{ prefix: '' }], B(), false],
  ])('%j against %j -> %s', (matchers, attribute, expected) => {
    expect(byAttributes({ a: matchers }, { a: attribute, other: S('y') })).toBe(expected);
  });

  it('exists checks for the attribute; Binary attributes are never compared', () => {
    expect(byAttributes({ store: [{ exists: true }] }, attributes)).toBe(true);
    expect(byAttributes({ store: [{ exists: true }] }, { customer_interests: A(['baseball']) })).toBe(false);
    expect(byAttributes({ store: [{ exists: false }] }, { customer_interests: A(['baseball']) })).toBe(true);
    expect(byAttributes({ store: [{ exists: false }] }, attributes)).toBe(false);
    expect(byAttributes({ blob: [{ exists: true }] }, { blob: B() })).toBe(false);
  });

  it('a message without attributes matches no policy with keys, not even exists:false', () => {
    expect(byAttributes({ store: ['example_corp'] }, undefined)).toBe(false);
    expect(byAttributes({ store: [{ exists: false }] }, undefined)).toBe(false);
    expect(byAttributes({ store: [{ exists: false }] }, {})).toBe(false);
  });

  it('the empty policy (or empty text) accepts every message', () => {
    expect(byAttributes({}, undefined)).toBe(true);
    expect(compileSnsFilterPolicy('', 'MessageAttributes').matches({ body: 'x' })).toBe(true);
  });

  it('looks only at attributes, never at the body', () => {
    const policy = compileSnsFilterPolicy('{"store":["example_corp"]}', 'MessageAttributes');
    expect(policy.matches({ body: '{"store":"example_corp"}' })).toBe(false);
  });

  it('$or combines alternatives with the other keys', () => {
    const policy = { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] };
    expect(byAttributes(policy, { source: S('aws.cloudwatch'), namespace: S('AWS/EC2') })).toBe(true);
    expect(byAttributes(policy, { source: S('aws.cloudwatch'), metricName: S('CPUUtilization') })).toBe(true);
    expect(byAttributes(policy, { source: S('aws.cloudwatch'), namespace: S('AWS/S3') })).toBe(false);
    expect(byAttributes(policy, { source: S('aws.s3'), namespace: S('AWS/EC2') })).toBe(false);
  });
});

describe('SNS filter policy on the message body', () => {
  it('matches nested keys and arrays in a JSON body', () => {
    const body = { store: 'example_corp', order: { price_usd: 210.75, items: [{ sku: 'a' }, { sku: 'b' }] }, interests: ['rugby', 'hockey'] };
    expect(byBody({ store: ['example_corp'], order: { price_usd: [{ numeric: ['>=', 100] }] } }, body)).toBe(true);
    expect(byBody({ order: { price_usd: [{ numeric: ['<', 100] }] } }, body)).toBe(false);
    expect(byBody({ order: { items: { sku: ['b'] } } }, body)).toBe(true);
    expect(byBody({ interests: ['hockey'] }, body)).toBe(true);
    expect(byBody({ order: { price_usd: [210.75] } }, body)).toBe(true);
    expect(byBody({ order: { price_usd: ['210.75'] } }, body)).toBe(false);
  });

  it('exists needs a non-null leaf value', () => {
    expect(byBody({ store: [{ exists: true }] }, { store: 'fans' })).toBe(true);
    expect(byBody({ store: [{ exists: true }] }, { store: null })).toBe(false);
    expect(byBody({ store: [{ exists: true }] }, { other: 1 })).toBe(false);
    expect(byBody({ store: [{ exists: false }] }, { other: 1 })).toBe(true);
    expect(byBody({ store: [null] }, { store: null })).toBe(true);
  });

  it('a body that is not a JSON object matches no policy with keys', () => {
    expect(byBody({ store: [{ exists: false }] }, 'plain text')).toBe(false);
    expect(byBody({ store: ['x'] }, '["x"]')).toBe(false);
    expect(byBody({}, 'plain text')).toBe(true);
  });

  it('looks only at the body, never at attributes', () => {
    const policy = compileSnsFilterPolicy('{"store":["example_corp"]}', 'MessageBody');
    expect(policy.matches({ body: '{}', messageAttributes: { store: S('example_corp') } })).toBe(false);
  });
});

describe('invalid SNS filter policies', () => {
  it.each([
    ['not JSON', '{invalidjson}', 'failed to parse JSON.'],
    ['an empty matcher list', { a: [] }, 'Empty arrays are not allowed'],
    ['a bare value', { a: 'x' }, '"a" must be an object or an array'],
    ['a nested array', { a: [['x']] }, 'Match value must be String, number, true, false, or null'],
    ['two operators', { a: [{ prefix: 'x', suffix: 'y' }] }, 'Only one key allowed in match expression'],
    ['an unknown operator', { a: [{ regex: 'x' }] }, 'Unrecognized match type regex'],
    ['wildcard, which SNS lacks', { a: [{ wildcard: 'x*' }] }, 'Unrecognized match type wildcard'],
    ['prefix with an object', { a: [{ prefix: { 'equals-ignore-case': 'x' } }] }, 'prefix match pattern must be a string'],
    ['anything-but suffix', { a: [{ 'anything-but': { suffix: 'x' } }] }, 'Unsupported anything-but pattern: suffix'],
    ['exists with null', { a: [{ exists: null }] }, 'exists match pattern must be either true or false.'],
    ['numeric with a string', { a: [{ numeric: ['=', '5'] }] }, 'Value of equals must be numeric'],
    ['numeric inverted range', { a: [{ numeric: ['>=', 10, '<', 5] }] }, 'Bottom must be less than top'],
    ['$or with one branch', { $or: [{ a: ['x'] }] }, 'There must have at least 2 Objects in $or relationship.'],
    ['six keys', { a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] }, 'Filter policy can not have more than 5 keys'],
  ])('%s', (_name, policy, expected) => {
    expect(rejection(policy).message).toBe(expected);
  });

  it('counts combinations: 150 values are fine, 151 too complex; nesting multiplies by depth', () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
    expect(() => compileSnsFilterPolicy(JSON.stringify({ a: values(150) }), 'MessageAttributes')).not.toThrow();
    expect(rejection({ a: values(151) }).message).toBe('Filter policy is too complex');
    expect(rejection({ a: values(10), b: values(16) }).message).toBe('Filter policy is too complex');
    // The guide's example: 3 x 4 x 2 x 3 = 72.
    const nested = { key_a: { key_b: { key_c: values(4) } }, key_d: { key_e: values(3) } };
    expect(() => compileSnsFilterPolicy(JSON.stringify(nested), 'MessageBody')).not.toThrow();
    // 2 levels x 76 values = 152.
    expect(rejection({ a: { b: values(76) } }, 'MessageBody').message).toBe('Filter policy is too complex');
    // $or branches add up: 100 + 51.
    expect(rejection({ $or: [{ a: values(100) }, { b: values(51) }] }).message).toBe('Filter policy is too complex');
  });

  it('rejects a policy over 256 KB', () => {
    const big = JSON.stringify({ a: ['x'.repeat(256 * 1024)] });
    expect(rejection(big).message).toBe('Filter policy is too long');
  });

  it('refuses nesting under the MessageAttributes scope, with a reason that does not name FilterPolicy', () => {
    const error = rejection({ a: { b: ['x'] } });
    expect(error.message).toBe('Filter policy scope MessageAttributes does not support nested filter policy');
    expect(snsInvalidParameterMessage(error, 'SetSubscriptionAttributes')).toBe(
      'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy',
    );
  });

  it('builds SNS\'s InvalidParameter messages for Subscribe and SetSubscriptionAttributes', () => {
    const error = rejection({ a: ['x'.repeat(3)], b: [] });
    expect(snsInvalidParameterMessage(error, 'SetSubscriptionAttributes')).toBe('Invalid parameter: FilterPolicy: Empty arrays are not allowed');
    expect(snsInvalidParameterMessage(error, 'Subscribe')).toBe('Invalid parameter: Attributes Reason: FilterPolicy: Empty arrays are not allowed');
  });
});
