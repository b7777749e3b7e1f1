/**
 * What the stream record tests share: an Eddy with a DynamoDB Streams client,
 * a reader that reads a whole stream (parents before children), and
 * conversions between wire-shaped items (binaries in base64, as Eddy stores
 * them) and what the SDK v3 returns (binaries as Uint8Array).
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record, type Shard } from '@aws-sdk/client-dynamodb-streams';
import type { EddyConfig } from '../../src/config.js';
import type { AttributeValue, Item } from '../../src/dynamodb/values/attribute-value.js';
import { startEddy, testCredentials, type TestEddy } from '../helpers/eddy.js';

export type StreamsEddy = TestEddy & { streams: DynamoDBStreamsClient };

export async function startStreamsEddy(overrides: Partial<EddyConfig> = {}): Promise<StreamsEddy> {
  const t = await startEddy(overrides);
  const streams = new DynamoDBStreamsClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
  return {
    ...t,
    streams,
    close: async () => {
      streams.destroy();
      await t.close();
    },
  };
}

export async function streamArnOf(t: TestEddy, table: string): Promise<string> {
  const arn = (await t.ddb.send(new DescribeTableCommand({ TableName: table }))).Table!.LatestStreamArn;
  if (!arn) throw new Error(`table ${table} has no stream`);
  return arn;
}

/** Every shard of the stream, following DescribeStream's pages. */
export async function allShards(t: StreamsEddy, arn: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let start: string | undefined;
  do {
    const { StreamDescription } = await t.streams.send(new DescribeStreamCommand({ StreamArn: arn, ...(start ? { ExclusiveStartShardId: start } : {}) }));
    shards.push(...StreamDescription!.Shards!);
    start = StreamDescription!.LastEvaluatedShardId;
  } while (start);
  return shards;
}

export interface ShardRead {
  shard: Shard;
  records: _Record[];
  /** True when the shard answered without a NextShardIterator: closed and read to its end. */
  ended: boolean;
}

/**
 * Reads one shard from TRIM_HORIZON, following NextShardIterator until it is
 * missing (a closed shard read to its end) or a page comes back empty (an
 * open shard read up to now).
 */
export async function readShard(t: StreamsEddy, arn: string, shard: Shard): Promise<ShardRead> {
  let iterator = (await t.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
  const records: _Record[] = [];
  while (iterator) {
    const page = await t.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    records.push(...page.Records!);
    if (page.NextShardIterator === undefined) return { shard, records, ended: true };
    if (page.Records!.length === 0) break;
    iterator = page.NextShardIterator;
  }
  return { shard, records, ended: false };
}

/** Every shard of the stream read whole, each parent before its children (a shard whose parent is gone counts as a root). */
export async function readStream(t: StreamsEddy, arn: string): Promise<ShardRead[]> {
  const shards = await allShards(t, arn);
  const ids = new Set(shards.map((s) => s.ShardId!));
  const done = new Set<string>();
  const reads: ShardRead[] = [];
  let pending = shards;
  while (pending.length > 0) {
    const ready = pending.filter((s) => !s.ParentShardId || !ids.has(s.ParentShardId) || done.has(s.ParentShardId));
    if (ready.length === 0) throw new Error('shard lineage has a cycle');
    for (const shard of ready) {
      reads.push(await readShard(t, arn, shard));
      done.add(shard.ShardId!);
    }
    pending = pending.filter((s) => !done.has(s.ShardId!));
  }
  return reads;
}

export async function readRecords(t: StreamsEddy, table: string): Promise<_Record[]> {
  return (await readStream(t, await streamArnOf(t, table))).flatMap((read) => read.records);
}

/** A wire-shaped attribute value as the SDK v3 returns it: binaries become Uint8Array. */
function valueToSdk(value: AttributeValue): unknown {
  if (value.B !== undefined) return { B: new Uint8Array(Buffer.from(value.B, 'base64')) };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => new Uint8Array(Buffer.from(b, 'base64'))) };
  if (value.L !== undefined) return { L: value.L.map(valueToSdk) };
  if (value.M !== undefined) return { M: itemToSdk(value.M) };
  return value;
}

export function itemToSdk(item: Item): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, valueToSdk(value)]));
}

/**
 * A record as the SDK returns it, in plain JSON: dates as epoch seconds and
 * binaries in base64, what boto3's records are turned into as well.
 */
export function recordToJson(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(recordToJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, recordToJson(v)]));
  }
  return value;
}
