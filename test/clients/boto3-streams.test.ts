/**
 * boto3's dynamodbstreams client reads the same stream records as the SDK v3
 * DynamoDBStreamsClient: same eventIDs, same contents, whole records
 * compared (boto3_streams.py prints them as JSON: datetimes as epoch
 * seconds, binaries in base64; the SDK's are converted the same way).
 */
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allShards, readRecords, recordToJson, startStreamsEddy, streamArnOf, type StreamsEddy } from '../streams/records-support.js';

const run = promisify(execFile);
let t: StreamsEddy;
beforeAll(async () => {
  // Two lanes that roll over every minute: the TTL step below moves the clock past two rollovers.
  t = await startStreamsEddy({ streamShards: 2, streamShardRolloverMs: 60_000 });
});
afterAll(async () => t.close());

const S = (s: string) => ({ S: s });
const N = (n: string) => ({ N: n });
const bytes = (text: string) => new TextEncoder().encode(text);

describe('boto3 dynamodbstreams', () => {
  it('reads the records the SDK v3 reads, whole', async () => {
    const table = 'BotoStream';
    await t.ddb.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    const key = (pk: string, sk = 1) => ({ pk: S(pk), sk: N(String(sk)) });
    await t.ddb.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          ...key('all-types'),
          s: S('text ✓'),
          n: N('-12.5e3'),
          b: { B: bytes('binary') },
          ss: { SS: ['b', 'a'] },
          ns: { NS: ['3', '1.5'] },
          bs: { BS: [bytes('y'), bytes('x')] },
          m: { M: { inner: { L: [S('x'), N('1'), { NULL: true }, { BOOL: false }] } } },
          yes: { BOOL: true },
        },
      }),
    );
    await t.ddb.send(
      new UpdateItemCommand({ TableName: table, Key: key('all-types'), UpdateExpression: 'SET s = :s REMOVE b', ExpressionAttributeValues: { ':s': S('changed') } }),
    );
    await t.ddb.send(
      new BatchWriteItemCommand({
        RequestItems: { [table]: Array.from({ length: 6 }, (_, i) => ({ PutRequest: { Item: { ...key(`batch-${i}`, i), v: N(String(i)) } } })) },
      }),
    );
    await t.ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { ...key('tx'), v: S('in a transaction') } } },
          { Delete: { TableName: table, Key: key('batch-0', 0) } },
        ],
      }),
    );
    await t.ddb.send(new DeleteItemCommand({ TableName: table, Key: key('all-types') }));
    await t.ddb.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    await t.ddb.send(new PutItemCommand({ TableName: table, Item: { ...key('expiring'), expires: N(String(Math.floor(t.eddy.clock.now() / 1000) + 30)) } }));
    t.eddy.clock.advance(120_000);
    await t.ddb.send(new PutItemCommand({ TableName: table, Item: { ...key('after-rollover'), v: S('child shard') } }));

    const shards = await allShards(t, await streamArnOf(t, table));
    expect(shards.some((s) => s.ParentShardId)).toBe(true);
    const sdkRecords = recordToJson(await readRecords(t, table)) as any[];
    // 1 put + 1 update + 6 batch puts + 2 transaction writes + 1 delete + TTL put and expiry + 1 put.
    expect(sdkRecords).toHaveLength(14);
    expect(sdkRecords.filter((r) => r.userIdentity)).toHaveLength(1);

    const script = fileURLToPath(new URL('./boto3_streams.py', import.meta.url));
    const { stdout } = await run('python3', [script, t.endpoint, table], { timeout: 60_000 });
    const botoRecords = JSON.parse(stdout.trim().split('\n').pop()!) as any[];
    expect(botoRecords.map((r) => r.eventID)).toEqual(sdkRecords.map((r) => r.eventID));
    expect(botoRecords).toEqual(sdkRecords);
  }, 60_000);
});
