import { UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { DeleteItemCommand, UpdateItemCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { esmFixture, createMapping, type EsmFixture } from './esm-support.js';

let f: EsmFixture;
beforeEach(async () => {
  f = await esmFixture();
});
afterEach(async () => {
  await f.close();
});

describe('DynamoDB stream mapping: batches', () => {
  it('TRIM_HORIZON delivers every record, in order, in batches of BatchSize, with the Lambda record shape', async () => {
    for (let i = 1; i <= 7; i++) await f.put(`k${i}`, { n: { N: String(i) } });
    await f.recordingFunction('recorder');
    await createMapping(f, 'recorder', { BatchSize: 3 });
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);

    expect(f.batches()).toEqual([['k1', 'k2', 'k3'], ['k4', 'k5', 'k6'], ['k7']]);
    const record = f.invocations()[0]!.Records[0]! as any;
    expect(Object.keys(record)).toEqual(['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN']);
    expect(record).toMatchObject({ eventName: 'INSERT', eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'us-east-1', eventSourceARN: f.streamArn });
    expect(Object.keys(record.dynamodb)).toEqual(['ApproximateCreationDateTime', 'Keys', 'NewImage', 'SequenceNumber', 'SizeBytes', 'StreamViewType']);
    expect(Number.isInteger(record.dynamodb.ApproximateCreationDateTime)).toBe(true);
    expect(Math.abs(record.dynamodb.ApproximateCreationDateTime - Date.now() / 1000)).toBeLessThan(60);
    expect(record.dynamodb.NewImage).toEqual({ pk: { S: 'k1' }, n: { N: '1' } });
    const sequence = f.invocations().flatMap((event) => event.Records.map((r) => BigInt(r.dynamodb.SequenceNumber)));
    expect([...sequence].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequence);
  });

  it('a delete made by TTL carries userIdentity as Lambda spells it', async () => {
    await f.ddb.send(new UpdateTimeToLiveCommand({ TableName: f.table, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    await f.put('short-lived', { expires: { N: String(Math.floor(f.eddy.clock.now() / 1000) - 10) } });
    expect(f.eddy.sweepExpiredItems()).toBe(1);
    await f.recordingFunction('recorder');
    await createMapping(f, 'recorder');
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    const [insert, remove] = f.invocations()[0]!.Records as any[];
    expect(insert.userIdentity).toBeUndefined();
    expect(remove).toMatchObject({ eventName: 'REMOVE', userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' }, eventSourceARN: f.streamArn });
    expect(Object.keys(remove)).toEqual(['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'userIdentity', 'eventSourceARN']);
    expect(Object.keys(remove.dynamodb)).toEqual(['ApproximateCreationDateTime', 'Keys', 'OldImage', 'SequenceNumber', 'SizeBytes', 'StreamViewType']);
  });

  it('LATEST delivers only records committed after the mapping was created', async () => {
    await f.put('before');
    await f.recordingFunction('recorder');
    await createMapping(f, 'recorder', { StartingPosition: 'LATEST' });
    await f.put('after1');
    await f.put('after2');
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches().flat()).toEqual(['after1', 'after2']);
  });

  it('with a batching window, a partial batch waits for the window on Eddy clock; a full one goes at once', async () => {
    await f.recordingFunction('recorder');
    await createMapping(f, 'recorder', { BatchSize: 3, MaximumBatchingWindowInSeconds: 5 });
    await f.put('a');
    await f.put('b');
    expect(await f.eddy.mappings.drain(300)).toBe(false);
    expect(f.invocations()).toEqual([]);
    f.eddy.clock.advance(5000);
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches()).toEqual([['a', 'b']]);

    await f.put('c');
    await f.put('d');
    await f.put('e');
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches()).toEqual([['a', 'b'], ['c', 'd', 'e']]);
  });

  it('a batch never exceeds the 6 MB invocation payload', async () => {
    const big = 'x'.repeat(400_000);
    for (let i = 0; i < 20; i++) await f.put(`big${String(i).padStart(2, '0')}`, { blob: { S: big } });
    await f.recordingFunction('recorder');
    await createMapping(f, 'recorder', { BatchSize: 100 });
    expect(await f.eddy.mappings.drain(20_000)).toBe(true);
    const sizes = f.invocations().map((event) => Buffer.byteLength(JSON.stringify(event)));
    const counts = f.batches().map((batch) => batch.length);
    expect(counts.reduce((a, b) => a + b)).toBe(20);
    // Each record is about 400 KB (an insert has a NewImage only): 15 fit under 6 MB (6,291,456 bytes), 16 do not.
    expect(counts).toEqual([15, 5]);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(6_291_456);
    expect(f.batches().flat()).toEqual(Array.from({ length: 20 }, (_, i) => `big${String(i).padStart(2, '0')}`));
  });

  it('FilterCriteria: non-matching records are checkpointed and never delivered, not even later', async () => {
    await f.recordingFunction('recorder');
    const uuid = await createMapping(f, 'recorder', { FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { status: { S: ['SHIPPED'] } } } }) }] } });
    await f.put('o1', { status: { S: 'SHIPPED' } });
    await f.put('o2', { status: { S: 'PENDING' } });
    await f.ddb.send(new UpdateItemCommand({ TableName: f.table, Key: { pk: { S: 'o2' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'SHIPPED' } } }));
    await f.ddb.send(new DeleteItemCommand({ TableName: f.table, Key: { pk: { S: 'o1' } } }));
    await f.put('o3', { status: { S: 'SHIPPED' } });
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches().flat()).toEqual(['o1', 'o3']);
    const metrics = f.eddy.mappings.metrics().find((m) => m.uuid === uuid)!;
    expect(metrics.recordsFiltered).toBe(3);
    expect(metrics.recordsDelivered).toBe(2);
    expect(metrics.shards[0]!.lagRecords).toBe(0);

    // Restarting the mapping (an update) does not bring filtered records back.
    await f.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, BatchSize: 10 }));
    await f.put('o4', { status: { S: 'SHIPPED' } });
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches().flat()).toEqual(['o1', 'o3', 'o4']);
  });
});
