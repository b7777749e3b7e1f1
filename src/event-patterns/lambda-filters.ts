// Lambda event source mapping FilterCriteria: up to 5 patterns (the control plane
// checks the count), OR'ed, each in EventBridge syntax, matched against the record
// as the handler would receive it. Records that match no pattern are dropped.

import { compilePattern } from './compile.js';
import { PatternSyntaxError } from './errors.js';

/** Filter.Pattern's length limit in the Lambda API model. */
export const MAX_FILTER_PATTERN_LENGTH = 4096;

type RecordTest = (record: unknown) => boolean;

function compileEach(patterns: string[]): RecordTest[] {
  return patterns.map((pattern) => {
    if (pattern.length > MAX_FILTER_PATTERN_LENGTH) {
      throw new PatternSyntaxError(`Filter pattern is longer than ${MAX_FILTER_PATTERN_LENGTH} characters`);
    }
    const compiled = compilePattern(pattern, 'eventbridge');
    return (record) => compiled.matches(record);
  });
}

function anyOf(tests: RecordTest[]): RecordTest {
  if (tests.length === 0) return () => true;
  return (record) => {
    for (const test of tests) if (test(record)) return true;
    return false;
  };
}

/**
 * A predicate over one record (DynamoDB Streams: the full stream record, so values
 * keep their type wrappers, `{"dynamodb": {"NewImage": {"status": {"S": ["x"]}}}}`,
 * and `numeric` never matches an `N`, which is a string). No patterns: every
 * record passes. Throws PatternSyntaxError for an invalid pattern; Lambda reports
 * any of them as INVALID_FILTER_PATTERN_MESSAGE.
 */
export function compileFilterCriteria(patterns: string[]): (record: unknown) => boolean {
  return anyOf(compileEach(patterns));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * compileFilterCriteria for SQS records, whose `body` is a string: when the body is
 * a JSON object, patterns see the parsed object (`{"body": {"RequestCode": ["BBBB"]}}`);
 * otherwise they see the plain string, which only string matchers on `body`
 * (`{"body": [{"prefix": "ERROR"}]}`) can match. A pattern with an object under
 * `body` therefore drops plain-text messages, and a string matcher on `body`
 * never matches a JSON-object body. The body is parsed once per record, and only
 * when some pattern names `body`.
 */
export function compileSqsFilterCriteria(patterns: string[]): (record: unknown) => boolean {
  const matches = anyOf(compileEach(patterns));
  // compileEach has already checked that every pattern is a JSON object.
  const namesBody = patterns.some((pattern) => patternNamesBody(JSON.parse(pattern) as Record<string, unknown>));
  if (!namesBody) return matches;
  return (record) => {
    if (!isPlainObject(record) || typeof record.body !== 'string') return matches(record);
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      return matches(record);
    }
    return matches(isPlainObject(body) ? { ...record, body } : record);
  };
}

/** True when the pattern (or one of its `$or` branches) has a `body` key. */
function patternNamesBody(pattern: Record<string, unknown>): boolean {
  if (Object.hasOwn(pattern, 'body')) return true;
  const branches = pattern.$or;
  return Array.isArray(branches) && branches.some((branch) => isPlainObject(branch) && patternNamesBody(branch));
}
