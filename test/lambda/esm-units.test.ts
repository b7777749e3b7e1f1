import { describe, expect, it } from 'vitest';
import { batchOutcome } from '../../src/lambda/esm/batch-outcome.js';
import { keyLane, toEventRecord } from '../../src/lambda/esm/stream-event.js';

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/T/stream/2026-11-27T00:00:00.000';

describe('event records (pure)', () => {
  it('the spliced record equals the record built field by field, whatever the item holds', () => {
    const tricky = { pk: { S: 'k' }, SizeBytes: { N: '5' }, userIdentity: { S: ',"SizeBytes":1' }, Keys: { S: '"Keys":' } };
    for (const byService of [false, true]) {
      // A record as the stream stores it (GetRecords' shape, without SequenceNumber).
      const stored = JSON.stringify({
        eventID: '0123456789abcdef0123456789abcdef',
        eventName: byService ? 'REMOVE' : 'MODIFY',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'us-east-1',
        dynamodb: {
          ApproximateCreationDateTime: 1_764_201_600,
          Keys: { pk: { S: 'k' } },
          ...(byService ? {} : { NewImage: { ...tricky, n: { N: '1' } } }),
          OldImage: tricky,
          SizeBytes: 120,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
        ...(byService ? { userIdentity: { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' } } : {}),
      });
      const record = toEventRecord({ seq: 42, created_at: 1_764_201_600_123, record: stored }, ARN);
      const parsed = JSON.parse(stored);
      const { SizeBytes, StreamViewType, ...rest } = parsed.dynamodb;
      const { userIdentity, ...fields } = parsed;
      const expected = {
        ...fields,
        dynamodb: { ...rest, SequenceNumber: '100000000000000000042', SizeBytes, StreamViewType },
        ...(userIdentity ? { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } } : {}),
        eventSourceARN: ARN,
      };
      expect(record.text).toBe(JSON.stringify(expected));
      expect(record.sequenceNumber).toBe('100000000000000000042');
      expect(record.keyHash % 7).toBe(keyLane({ pk: { S: 'k' } }, 7));
    }
  });
});

describe('batch outcome rules (pure)', () => {
  const seqs = ['101', '102', '103'];
  const outcome = (payload: string, reportBatchItemFailures = true, tumblingWindow = false) =>
    batchOutcome({ functionError: false, payload, reportBatchItemFailures, sequenceNumbers: seqs, tumblingWindow });

  it.each([
    ['null', 'null'],
    ['empty', ''],
    ['an empty object', '{}'],
    ['an empty list', '{"batchItemFailures":[]}'],
    ['a null list', '{"batchItemFailures":null}'],
    ['a string', '"done"'],
  ])('%s response: success', (_name, payload) => {
    expect(outcome(payload)).toEqual({ kind: 'success' });
  });

  it('the lowest reported sequence number wins', () => {
    expect(outcome('{"batchItemFailures":[{"itemIdentifier":"103"},{"itemIdentifier":"102"}]}')).toEqual({ kind: 'partial', index: 1 });
  });

  it.each([
    ['a null identifier', '{"batchItemFailures":[{"itemIdentifier":null}]}'],
    ['an empty identifier', '{"batchItemFailures":[{"itemIdentifier":""}]}'],
    ['an unknown identifier', '{"batchItemFailures":[{"itemIdentifier":"999"}]}'],
    ['a wrong key', '{"batchItemFailures":[{"id":"102"}]}'],
    ['one bad among good', '{"batchItemFailures":[{"itemIdentifier":"102"},{"itemIdentifier":"x"}]}'],
    ['a list that is not a list', '{"batchItemFailures":"102"}'],
  ])('%s: the whole batch failed', (_name, payload) => {
    expect(outcome(payload)).toEqual({ kind: 'failure', functionError: false });
  });

  it('a function error is a failure whatever the payload', () => {
    expect(batchOutcome({ functionError: true, payload: '{"errorMessage":"x"}', reportBatchItemFailures: true, sequenceNumbers: seqs, tumblingWindow: false })).toEqual({ kind: 'failure', functionError: true });
  });

  it('without ReportBatchItemFailures a reported failure is ignored', () => {
    expect(outcome('{"batchItemFailures":[{"itemIdentifier":"101"}]}', false)).toEqual({ kind: 'success' });
  });

  it('with a tumbling window the response must carry state', () => {
    expect(outcome('{"batchItemFailures":[]}', false, true)).toEqual({ kind: 'failure', functionError: false });
    expect(outcome('{"state":{"n":1}}', false, true)).toEqual({ kind: 'success', state: { n: 1 } });
    expect(outcome('{"state":{"n":1},"batchItemFailures":[{"itemIdentifier":"102"}]}', true, true)).toEqual({ kind: 'partial', index: 1, state: { n: 1 } });
  });
});
