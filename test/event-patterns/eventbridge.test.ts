import { describe, expect, it } from 'vitest';
import { compilePattern, PatternSyntaxError } from '../../src/event-patterns/index.js';

/** Whether `pattern` (EventBridge dialect) matches `event`. */
function matches(pattern: object, event: unknown): boolean {
  return compilePattern(pattern, 'eventbridge').matches(event);
}

/** The PatternSyntaxError reason for an invalid pattern. */
function reason(pattern: string | object): string {
  try {
    compilePattern(pattern, 'eventbridge');
  } catch (error) {
    expect(error).toBeInstanceOf(PatternSyntaxError);
    return (error as Error).message;
  }
  throw new Error(`pattern was accepted: ${JSON.stringify(pattern)}`);
}

describe('EventBridge matchers, one field', () => {
  it.each([
    // [matchers, value, expected]
    [['x'], 'x', true],
    [['x'], 'X', false],
    [['x', 'y'], 'y', true],
    [[5], 5, true],
    [[5], 5.0, true],
    [[5], '5', false],
    [['5'], 5, false],
    [[null], null, true],
    [[null], '', false],
    [[''], '', true],
    [[''], null, false],
    [[true], true, true],
    [[true], 'true', false],
    [[false], false, true],
    [[{ prefix: 'us-' }], 'us-east-1', true],
    [[{ prefix: 'us-' }], 'eu-west-1', false],
    [[{ prefix: 'us-' }], 5, false],
    [[{ prefix: { 'equals-ignore-case': 'EventB' } }], 'eventbridge', true],
    [[{ prefix: { 'equals-ignore-case': 'EventB' } }], 'xeventb', false],
    [[{ suffix: '.png' }], 'a.png', true],
    [[{ suffix: '.png' }], 'a.PNG', false],
    [[{ suffix: { 'equals-ignore-case': '.png' } }], 'a.PNG', true],
    [[{ suffix: { 'equals-ignore-case': '.png' } }], 'a.jpg', false],
    [[{ 'equals-ignore-case': 'AlPha' }], 'ALPHA', true],
    [[{ 'equals-ignore-case': 'alpha' }], 'alphas', false],
    [[{ 'anything-but': 'initializing' }], 'running', true],
    [[{ 'anything-but': 'initializing' }], 'initializing', false],
    [[{ 'anything-but': ['a', 'b'] }], 'c', true],
    [[{ 'anything-but': ['a', 'b'] }], 'b', false],
    [[{ 'anything-but': 123 }], 124, true],
    [[{ 'anything-but': 123 }], 123, false],
    [[{ 'anything-but': [100, 200] }], 200, false],
    [[{ 'anything-but': { prefix: 'us-' } }], 'eu-west-1', true],
    [[{ 'anything-but': { prefix: 'us-' } }], 'us-east-1', false],
    [[{ 'anything-but': { suffix: '.png' } }], 'a.jpg', true],
    [[{ 'anything-but': { suffix: '.png' } }], 'a.png', false],
    [[{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }], 'RUNNING', true],
    [[{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }], 'STOPPED', false],
    [[{ 'anything-but': { wildcard: '*/lib/*' } }], '/usr/bin/x', true],
    [[{ 'anything-but': { wildcard: '*/lib/*' } }], '/usr/lib/x', false],
    [[{ numeric: ['>', 0] }], 1, true],
    [[{ numeric: ['>', 0] }], 0, false],
    [[{ numeric: ['>=', 0] }], 0, true],
    [[{ numeric: ['<', 10] }], 10, false],
    [[{ numeric: ['<=', 10] }], 10, true],
    [[{ numeric: ['=', 301.5] }], 3.015e2, true],
    [[{ numeric: ['=', 5] }], '5', false],
    [[{ numeric: ['>', 0, '<=', 5] }], 5, true],
    [[{ numeric: ['>', 0, '<=', 5] }], 5.0001, false],
    [[{ numeric: ['>', 0, '<=', 5] }], 0, false],
    [[{ wildcard: 'arn:aws:events:*:event-bus/*' }], 'arn:aws:events:us-east-1:1:event-bus/default', true],
    [[{ wildcard: 'a*b' }], 'ab', true],
    [[{ wildcard: 'a*b' }], 'abc', false],
    [[{ wildcard: 'a.b' }], 'axb', false],
    [[{ wildcard: 'a\\*b' }], 'a*b', true],
    [[{ wildcard: 'a\\*b' }], 'axb', false],
    [[{ cidr: '10.0.0.0/24' }], '10.0.0.255', true],
    [[{ cidr: '10.0.0.0/24' }], '10.0.1.0', false],
    [[{ cidr: '10.0.0.0/24' }], 'not-an-ip', false],
    [[{ cidr: '2001:db8::/32' }], '2001:db8:ffff::1', true],
    [[{ cidr: '2001:db8::/32' }], '2001:db9::1', false],
    [[{ cidr: '2001:db8::/32' }], '10.0.0.1', false],
  ])('%j against %j -> %s', (matchers, value, expected) => {
    expect(matches({ field: matchers }, { field: value })).toBe(expected);
  });

  it('anything-but and value matchers need the field: a missing field matches neither', () => {
    expect(matches({ state: [{ 'anything-but': 'x' }] }, {})).toBe(false);
    expect(matches({ state: [{ prefix: '' }] }, {})).toBe(false);
  });

  it('exists looks at leaf values: null is a value, an object or an empty array is not', () => {
    const present = { f: [{ exists: true }] };
    const absent = { f: [{ exists: false }] };
    expect(matches(present, { f: 'x' })).toBe(true);
    expect(matches(present, { f: null })).toBe(true);
    expect(matches(present, { f: ['x'] })).toBe(true);
    expect(matches(present, { g: 'x' })).toBe(false);
    expect(matches(present, { f: { g: 1 } })).toBe(false);
    expect(matches(present, { f: [] })).toBe(false);
    expect(matches(absent, { g: 'x' })).toBe(true);
    expect(matches(absent, { f: 'x' })).toBe(false);
    expect(matches(absent, { f: [] })).toBe(true);
  });

  it('the matchers of one field are OR-ed', () => {
    const pattern = { f: ['a', { prefix: 'zz' }, { exists: false }] };
    expect(matches(pattern, { f: 'a' })).toBe(true);
    expect(matches(pattern, { f: 'zzz' })).toBe(true);
    expect(matches(pattern, {})).toBe(true);
    expect(matches(pattern, { f: 'b' })).toBe(false);
  });
});

describe('EventBridge structure', () => {
  const ec2 = {
    source: 'aws.ec2',
    'detail-type': 'EC2 Instance State-change Notification',
    resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-1', 'arn:aws:ec2:us-east-1:123456789012:instance/i-2'],
    detail: { state: 'running', 'instance-id': 'i-1', tags: [{ k: 'env', v: 'prod' }, { k: 'team', v: 'a' }] },
  };

  it('keys are AND-ed and nest into the event', () => {
    expect(matches({ source: ['aws.ec2'], detail: { state: ['running'] } }, ec2)).toBe(true);
    expect(matches({ source: ['aws.ec2'], detail: { state: ['stopped'] } }, ec2)).toBe(false);
    expect(matches({ source: ['aws.s3'], detail: { state: ['running'] } }, ec2)).toBe(false);
    expect(matches({ detail: { missing: { deeper: ['x'] } } }, ec2)).toBe(false);
    expect(matches({ detail: { missing: { deeper: [{ exists: false }] } } }, ec2)).toBe(true);
  });

  it('an array in the event matches when any element does', () => {
    expect(matches({ resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-2'] }, ec2)).toBe(true);
    expect(matches({ resources: [{ suffix: '/i-3' }] }, ec2)).toBe(false);
    expect(matches({ resources: [{ 'anything-but': 'arn:aws:ec2:us-east-1:123456789012:instance/i-1' }] }, ec2)).toBe(true);
  });

  it('a nested pattern over an array of objects must hold within one element', () => {
    expect(matches({ detail: { tags: { k: ['env'], v: ['prod'] } } }, ec2)).toBe(true);
    expect(matches({ detail: { tags: { k: ['env'], v: ['a'] } } }, ec2)).toBe(false);
  });

  it('$or matches when any branch matches, alongside the other keys', () => {
    const pattern = { source: ['aws.ec2'], $or: [{ detail: { state: ['stopped'] } }, { 'detail-type': [{ prefix: 'EC2' }] }] };
    expect(matches(pattern, ec2)).toBe(true);
    expect(matches(pattern, { ...ec2, 'detail-type': 'other' })).toBe(false);
    expect(matches(pattern, { ...ec2, source: 'aws.s3' })).toBe(false);
    const nested = { detail: { $or: [{ state: ['stopped'] }, { 'instance-id': ['i-1'] }] } };
    expect(matches(nested, ec2)).toBe(true);
    expect(matches(nested, { detail: { state: 'running', 'instance-id': 'i-9' } })).toBe(false);
  });

  it('JSON text and parsed objects compile alike', () => {
    expect(compilePattern('{"detail":{"state":["running"]}}', 'eventbridge').matches(ec2)).toBe(true);
    expect(compilePattern({ detail: { state: ['running'] } }, 'eventbridge').matches(ec2)).toBe(true);
  });

  it('keys are matched literally, with no special meaning for dots', () => {
    expect(matches({ 'a.b': ['x'] }, { 'a.b': 'x' })).toBe(true);
    expect(matches({ 'a.b': ['x'] }, { a: { b: 'x' } })).toBe(false);
  });

  it('events that are not objects match only patterns about absent fields', () => {
    expect(matches({ f: ['x'] }, 'x')).toBe(false);
    expect(matches({ f: [{ exists: false }] }, null)).toBe(true);
  });

  it('compiles once: matching a record does not read the pattern again', () => {
    const pattern = { f: ['x'] };
    const compiled = compilePattern(pattern, 'eventbridge');
    pattern.f[0] = 'y';
    expect(compiled.matches({ f: 'x' })).toBe(true);
  });
});

describe('invalid EventBridge patterns throw PatternSyntaxError', () => {
  it.each([
    ['not JSON', '{"a": [', 'Filter is not valid JSON'],
    ['an array', '[1]', 'Filter is not an object'],
    ['a string', '"x"', 'Filter is not an object'],
    ['null', 'null', 'Filter is not an object'],
    ['an empty matcher list', { a: [] }, 'Empty arrays are not allowed'],
    ['a bare value', { a: 'x' }, '"a" must be an object or an array'],
    ['a nested array', { a: [['x']] }, 'Match value must be String, number, true, false, or null'],
    ['two operators in one matcher', { a: [{ prefix: 'x', suffix: 'y' }] }, 'Only one key allowed in match expression'],
    ['an empty matcher object', { a: [{}] }, 'Only one key allowed in match expression'],
    ['an unknown operator', { a: [{ regex: 'x' }] }, 'Unrecognized match type regex'],
    ['exists with a string', { a: [{ exists: 'true' }] }, 'exists match pattern must be either true or false.'],
    ['prefix with a number', { a: [{ prefix: 1 }] }, 'prefix match pattern must be a string'],
    ['prefix with an unknown option', { a: [{ prefix: { wildcard: 'x' } }] }, 'Unsupported prefix pattern: wildcard'],
    ['suffix with a list', { a: [{ suffix: ['x'] }] }, 'suffix match pattern must be a string'],
    ['equals-ignore-case with null', { a: [{ 'equals-ignore-case': null }] }, 'equals-ignore-case match pattern must be a string'],
    ['numeric that is not a list', { a: [{ numeric: 5 }] }, 'Value of numeric must be an array.'],
    ['numeric empty', { a: [{ numeric: [] }] }, 'Invalid member in numeric match: ]'],
    ['numeric unknown operator', { a: [{ numeric: ['!=', 5] }] }, 'Unrecognized numeric range operator: !='],
    ['numeric operator not a string', { a: [{ numeric: [5, '>'] }] }, 'Invalid member in numeric match: 5'],
    ['numeric string operand', { a: [{ numeric: ['>', '5'] }] }, 'Value of > must be numeric'],
    ['numeric equals without operand', { a: [{ numeric: ['='] }] }, 'Value of equals must be numeric'],
    ['numeric range from an upper bound', { a: [{ numeric: ['<', 5, '>', 0] }] }, 'Too many elements in numeric expression'],
    ['numeric range with a second lower bound', { a: [{ numeric: ['>', 0, '>', 5] }] }, 'Bad numeric range operator: >'],
    ['numeric inverted range', { a: [{ numeric: ['>', 5, '<', 1] }] }, 'Bottom must be less than top'],
    ['numeric range with extra terms', { a: [{ numeric: ['>', 0, '<', 5, '<', 6] }] }, 'Too many terms in numeric range expression'],
    ['anything-but empty list', { a: [{ 'anything-but': [] }] }, 'Inside anything but list, either all values are number or string, mixed type is not supported'],
    ['anything-but mixed list', { a: [{ 'anything-but': ['a', 1] }] }, 'Inside anything but list, either all values are number or string, mixed type is not supported'],
    ['anything-but with null in a list', { a: [{ 'anything-but': [null] }] }, 'Inside anything but list, start|null|boolean is not supported.'],
    ['anything-but with true', { a: [{ 'anything-but': true }] }, 'Value of anything-but must be an array or single string/number value.'],
    ['anything-but with an unknown option', { a: [{ 'anything-but': { numeric: ['>', 1] } }] }, 'Unsupported anything-but pattern: numeric'],
    ['anything-but with an empty option', { a: [{ 'anything-but': {} }] }, 'Anything-But expression name not found'],
    ['anything-but prefix with a list', { a: [{ 'anything-but': { prefix: ['x'] } }] }, 'prefix/suffix match pattern must be a string'],
    ['anything-but empty suffix', { a: [{ 'anything-but': { suffix: '' } }] }, 'Null prefix/suffix not allowed'],
    ['anything-but equals-ignore-case number', { a: [{ 'anything-but': { 'equals-ignore-case': [1] } }] }, 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'],
    ['wildcard with consecutive stars', { a: [{ wildcard: 'a**b' }] }, 'Consecutive wildcard characters at pos 2'],
    ['wildcard with a bad escape', { a: [{ wildcard: 'a\\b' }] }, 'Invalid escape character at pos 2'],
    ['cidr without a mask', { a: [{ cidr: '10.0.0.1' }] }, "Malformed CIDR, one '/' required"],
    ['cidr with a bad mask', { a: [{ cidr: '10.0.0.0/x' }] }, 'Malformed CIDR, mask bits must be an integer'],
    ['cidr with a too wide mask', { a: [{ cidr: '10.0.0.0/33' }] }, 'Malformed CIDR, mask bits must be an integer'],
    ['cidr with a bad address', { a: [{ cidr: '10.0.0.256/24' }] }, 'Nonstandard IP address: 10.0.0.256'],
    ['the empty pattern', {}, 'Empty objects are not allowed'],
    ['an empty nested object', { a: {} }, 'Empty objects are not allowed'],
    ['$or that is not a list', { $or: { a: ['x'] } }, 'It must be an Array followed with $or.'],
    ['$or with a non-object', { $or: [{ a: ['x'] }, 'x'] }, 'Only JSON object is allowed in array of $or relationship.'],
    ['$or with one branch', { $or: [{ a: ['x'] }] }, 'There must have at least 2 Objects in $or relationship.'],
    ['an invalid matcher inside $or', { $or: [{ a: ['x'] }, { b: [] }] }, 'Empty arrays are not allowed'],
    ['an invalid matcher deep down', { a: { b: { c: [{ numeric: ['>'] }] } } }, 'Value of > must be numeric'],
  ])('%s', (_name, pattern, expected) => {
    expect(reason(pattern)).toBe(expected);
  });
});
