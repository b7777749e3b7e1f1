import { describe, expect, it } from 'vitest';
import {
  compileFilterCriteria,
  compileSqsFilterCriteria,
  INVALID_FILTER_PATTERN_MESSAGE,
  PatternSyntaxError,
} from '../../src/event-patterns/index.js';
import { buildStreamRecord } from '../../src/streams/stream-record.js';
import type { Item } from '../../src/dynamodb/values/attribute-value.js';

/** A DynamoDB stream record as Eddy's stream capture builds it (NEW_AND_OLD_IMAGES). */
function streamRecord(oldItem: Item | undefined, newItem: Item | undefined): unknown {
  const record = buildStreamRecord({
    eventName: !oldItem ? 'INSERT' : !newItem ? 'REMOVE' : 'MODIFY',
    keys: { pk: (newItem ?? oldItem)!.pk! },
    oldItem,
    newItem,
    viewType: 'NEW_AND_OLD_IMAGES',
    region: 'us-east-1',
    nowMs: 1_700_000_000_000,
    byService: false,
  });
  return JSON.parse(JSON.stringify(record));
}

const order = { pk: { S: 'order#1' }, status: { S: 'SHIPPED' }, quantity: { N: '7' }, tags: { SS: ['gift', 'express'] } };
const inserted = streamRecord(undefined, order);
const modified = streamRecord({ ...order, status: { S: 'PENDING' } }, order);
const removed = streamRecord(order, undefined);

describe('Lambda FilterCriteria on DynamoDB stream records', () => {
  it('matches values inside their type wrappers', () => {
    const shipped = compileFilterCriteria(['{"dynamodb":{"NewImage":{"status":{"S":["SHIPPED"]}}}}']);
    expect(shipped(inserted)).toBe(true);
    expect(shipped(modified)).toBe(true);
    expect(shipped(removed)).toBe(false);
    expect(compileFilterCriteria(['{"dynamodb":{"NewImage":{"status":["SHIPPED"]}}}'])(inserted)).toBe(false);
  });

  it('filters on eventName and on the old image', () => {
    expect(compileFilterCriteria(['{"eventName":["REMOVE"]}'])(removed)).toBe(true);
    expect(compileFilterCriteria(['{"eventName":["REMOVE"]}'])(inserted)).toBe(false);
    const wasPending = compileFilterCriteria(['{"eventName":["MODIFY"],"dynamodb":{"OldImage":{"status":{"S":["PENDING"]}}}}']);
    expect(wasPending(modified)).toBe(true);
    expect(wasPending(inserted)).toBe(false);
  });

  it('numeric never matches an N value, which is a string; string matchers do', () => {
    expect(compileFilterCriteria(['{"dynamodb":{"NewImage":{"quantity":{"N":[{"numeric":[">",5]}]}}}}'])(inserted)).toBe(false);
    expect(compileFilterCriteria(['{"dynamodb":{"NewImage":{"quantity":{"N":["7"]}}}}'])(inserted)).toBe(true);
    expect(compileFilterCriteria(['{"dynamodb":{"NewImage":{"quantity":{"N":[7]}}}}'])(inserted)).toBe(false);
  });

  it('set attributes match when any member does; exists tests the attribute', () => {
    expect(compileFilterCriteria(['{"dynamodb":{"NewImage":{"tags":{"SS":["express"]}}}}'])(inserted)).toBe(true);
    const noOldImage = compileFilterCriteria(['{"dynamodb":{"OldImage":{"status":{"S":[{"exists":false}]}}}}']);
    expect(noOldImage(inserted)).toBe(true);
    expect(noOldImage(modified)).toBe(false);
  });

  it('patterns are OR-ed; no patterns let every record through', () => {
    const either = compileFilterCriteria(['{"eventName":["INSERT"]}', '{"eventName":["REMOVE"]}']);
    expect([inserted, modified, removed].map(either)).toEqual([true, false, true]);
    expect(compileFilterCriteria([])(modified)).toBe(true);
  });

  it('an invalid pattern anywhere in the list throws; Lambda answers with one fixed text', () => {
    expect(() => compileFilterCriteria(['{"eventName":["INSERT"]}', '{"eventName":[]}'])).toThrow(PatternSyntaxError);
    expect(() => compileFilterCriteria(['not json'])).toThrow(PatternSyntaxError);
    expect(() => compileFilterCriteria([''])).toThrow(PatternSyntaxError);
    expect(() => compileFilterCriteria(['{}'])).toThrow(PatternSyntaxError);
    expect(() => compileFilterCriteria(['{"eventName":"INSERT"}'])).toThrow(PatternSyntaxError);
    expect(INVALID_FILTER_PATTERN_MESSAGE).toBe('Invalid filter pattern definition.');
  });

  it('rejects a pattern longer than 4096 characters and accepts one of exactly 4096', () => {
    const padded = (length: number) => {
      const head = '{"eventName":["';
      const tail = '"]}';
      return head + 'x'.repeat(length - head.length - tail.length) + tail;
    };
    expect(compileFilterCriteria([padded(4096)])({ eventName: 'x'.repeat(4096 - 18) })).toBe(true);
    expect(() => compileFilterCriteria([padded(4097)])).toThrow(PatternSyntaxError);
  });
});

describe('Lambda FilterCriteria on SQS records', () => {
  const sqsRecord = (body: string) => ({
    messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
    body,
    attributes: { ApproximateReceiveCount: '1' },
    messageAttributes: {},
    eventSource: 'aws:sqs',
  });
  const json = sqsRecord(JSON.stringify({ RecordNumber: 1234, RequestCode: 'BBBB', items: [{ sku: 'a' }] }));
  const plain = sqsRecord('ERROR: disk full');

  it('matches inside a JSON body', () => {
    expect(compileSqsFilterCriteria(['{"body":{"RequestCode":["BBBB"]}}'])(json)).toBe(true);
    expect(compileSqsFilterCriteria(['{"body":{"RequestCode":["AAAA"]}}'])(json)).toBe(false);
    expect(compileSqsFilterCriteria(['{"body":{"RecordNumber":[{"numeric":[">",1000]}]}}'])(json)).toBe(true);
    expect(compileSqsFilterCriteria(['{"body":{"items":{"sku":["a"]}}}'])(json)).toBe(true);
  });

  it('matches a plain-text body with string matchers only', () => {
    expect(compileSqsFilterCriteria(['{"body":[{"prefix":"ERROR"}]}'])(plain)).toBe(true);
    expect(compileSqsFilterCriteria(['{"body":["ERROR: disk full"]}'])(plain)).toBe(true);
    expect(compileSqsFilterCriteria(['{"body":{"RequestCode":["BBBB"]}}'])(plain)).toBe(false);
  });

  it('a string matcher on body does not match a JSON-object body', () => {
    expect(compileSqsFilterCriteria(['{"body":[{"prefix":"{"}]}'])(json)).toBe(false);
  });

  it('patterns without body keep the record as it is; $or branches may name body', () => {
    expect(compileSqsFilterCriteria(['{"eventSource":["aws:sqs"]}'])(plain)).toBe(true);
    const either = compileSqsFilterCriteria(['{"$or":[{"body":{"RequestCode":["BBBB"]}},{"body":[{"prefix":"ERROR"}]}]}']);
    expect(either(json)).toBe(true);
    expect(either(plain)).toBe(true);
    expect(either(sqsRecord('INFO'))).toBe(false);
  });

  it('throws for invalid patterns like compileFilterCriteria', () => {
    expect(() => compileSqsFilterCriteria(['{"body":{"a":[{"numeric":["<",1,">",0]}]}}'])).toThrow(PatternSyntaxError);
    expect(() => compileSqsFilterCriteria(['['])).toThrow(PatternSyntaxError);
  });
});
