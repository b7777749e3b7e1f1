import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand, GetEventSourceMappingCommand, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMapping, esmFixture, type EsmFixture } from './esm-support.js';

let f: EsmFixture;
beforeEach(async () => {
  f = await esmFixture();
});
afterEach(async () => {
  await f.close();
});

describe('drain, pause and metrics', () => {
  it('drain waits for what handlers wrote into other mapped streams', async () => {
    const audit = await f.ddb.send(
      new CreateTableCommand({
        TableName: 'Audit',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      }),
    );
    // The first function copies every order into Audit; the second records Audit's stream.
    await f.recordingFunction(
      'copier',
      `const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
      const ddb = new DynamoDBClient({});
      for (const r of event.Records) await ddb.send(new PutItemCommand({ TableName: 'Audit', Item: { pk: { S: 'audit-' + r.dynamodb.Keys.pk.S } } }));`,
    );
    await f.recordingFunction('recorder');
    await createMapping(f, 'copier');
    await f.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'recorder', EventSourceArn: audit.TableDescription!.LatestStreamArn!, StartingPosition: 'TRIM_HORIZON' }));
    await f.put('o1');
    await f.put('o2');
    expect(await f.eddy.mappings.drain(20_000)).toBe(true);
    expect(f.batches('recorder').flat().sort()).toEqual(['audit-o1', 'audit-o2']);
  });

  it('a disabled mapping keeps its checkpoint and is not waited for; enabled again it resumes from it', async () => {
    await f.recordingFunction('recorder');
    const uuid = await createMapping(f, 'recorder');
    await f.put('a');
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    await f.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
    await f.put('b');
    await f.put('c');
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches()).toEqual([['a']]);
    await f.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches()).toEqual([['a'], ['b', 'c']]);
  });

  it('metrics count invocations, errors and records; LastProcessingResult reaches GetEventSourceMapping', async () => {
    await f.recordingFunction('recorder', `if (event.Records.some((r) => r.dynamodb.Keys.pk.S === 'bad')) throw new Error('boom');`);
    for (const key of ['a', 'b']) await f.put(key);
    const uuid = await createMapping(f, 'recorder', { BatchSize: 2, MaximumRetryAttempts: 0 });
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect((await f.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).LastProcessingResult).toBe('OK');
    await f.put('bad');
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect((await f.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).LastProcessingResult).toBe('PROBLEM: Function call failed');
    const [metrics] = f.eddy.mappings.metrics();
    expect(metrics).toMatchObject({ uuid, invocations: 2, errors: 1, throttles: 0, recordsDelivered: 2, recordsFailed: 1, recordsFiltered: 0, onFailureSends: 0 });
    expect(metrics!.iteratorAgeMs).toBeGreaterThanOrEqual(0);
    expect(metrics!.iteratorAgeMs).toBeLessThan(10_000);
    expect(metrics!.shards).toEqual([{ shardId: expect.stringMatching(/^shardId-/), lagRecords: 0, iteratorAgeMs: metrics!.iteratorAgeMs, checkpoint: f.invocations().at(-1)!.Records[0]!.dynamodb.SequenceNumber }]);
  });

  it('a deleted mapping stops and its checkpoints are dropped', async () => {
    await f.recordingFunction('recorder');
    const uuid = await createMapping(f, 'recorder');
    await f.put('a');
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    const rows = (): number => (f.eddy.db.prepare('SELECT count(*) AS n FROM lambda_esm_checkpoints WHERE mapping_uuid = ?').get(uuid) as { n: number }).n;
    expect(rows()).toBe(1);
    await f.lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }));
    await f.put('b');
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches()).toEqual([['a']]);
    expect(rows()).toBe(0);
    expect(f.eddy.mappings.metrics()).toEqual([]);
  });
});
