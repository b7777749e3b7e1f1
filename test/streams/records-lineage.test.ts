/**
 * Shard lineage across several rollovers: a reader that follows it sees
 * every record exactly once, each parent before its children, and every
 * closed shard ends with a missing NextShardIterator. Time moves on Eddy's
 * clock; nothing sleeps.
 */
import { CreateTableCommand, DynamoDBClient, ExecuteTransactionCommand, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record, type Shard } from '@aws-sdk/client-dynamodb-streams';
import { afterEach, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../src/clock.js';
import { createEddy } from '../../src/eddy.js';
import { errorOf, testCredentials } from '../helpers/eddy.js';
import { allShards, readStream, startStreamsEddy, streamArnOf, type StreamsEddy } from './records-support.js';

const ROLLOVER_MS = 60_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function streamsEddy(): Promise<StreamsEddy> {
  const t = await startStreamsEddy({ streamShards: 2, streamShardRolloverMs: ROLLOVER_MS });
  cleanups.push(() => t.close());
  return t;
}

/** A table with a NEW_IMAGE stream; `g` keys a global index (so a write can be refused for its type). */
async function createTable(ddb: DynamoDBClient, name: string): Promise<void> {
  await ddb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
}

const KEYS = Array.from({ length: 8 }, (_, i) => `k${i}`);
const putRound = (t: StreamsEddy, table: string, round: number) =>
  Promise.all(KEYS.map((pk) => t.ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, round: { N: String(round) } } }))));
const label = (r: _Record) => `${r.dynamodb!.Keys!.pk!.S}@${r.dynamodb!.NewImage!.round!.N}`;

/**
 * A reader polling the stream as a consumer does: it starts a shard (from
 * TRIM_HORIZON) only once its parent is finished, keeps polling open shards
 * with NextShardIterator, and finishes a shard when NextShardIterator is
 * missing.
 */
class LineageReader {
  readonly records: { shardId: string; record: _Record }[] = [];
  /** Shards in the order the reader finished them. */
  readonly finished: string[] = [];
  private readonly iterators = new Map<string, string>();
  /** Shard id -> index in `records` where the reader started it. */
  readonly startedAt = new Map<string, number>();

  constructor(
    private readonly t: StreamsEddy,
    private readonly arn: string,
  ) {}

  async poll(): Promise<void> {
    const shards = await allShards(this.t, this.arn);
    const known = new Set(shards.map((s) => s.ShardId!));
    for (const shard of shards) {
      const id = shard.ShardId!;
      if (this.startedAt.has(id)) continue;
      const parent = shard.ParentShardId;
      if (parent && known.has(parent) && !this.finished.includes(parent)) continue;
      const { ShardIterator } = await this.t.streams.send(new GetShardIteratorCommand({ StreamArn: this.arn, ShardId: id, ShardIteratorType: 'TRIM_HORIZON' }));
      this.iterators.set(id, ShardIterator!);
      this.startedAt.set(id, this.records.length);
    }
    for (const [id, iterator] of [...this.iterators]) {
      const page = await this.t.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      for (const record of page.Records!) this.records.push({ shardId: id, record });
      if (page.NextShardIterator === undefined) {
        this.iterators.delete(id);
        this.finished.push(id);
      } else this.iterators.set(id, page.NextShardIterator);
    }
  }

  /** Polls until a poll starts and finishes nothing new and reads no record. */
  async drain(): Promise<void> {
    for (;;) {
      const before = [this.records.length, this.finished.length, this.startedAt.size].join();
      await this.poll();
      if ([this.records.length, this.finished.length, this.startedAt.size].join() === before) return;
    }
  }
}

describe('a reader following shard lineage', () => {
  it('sees every record exactly once, parents before children, across several rollovers', async () => {
    const t = await streamsEddy();
    await createTable(t.ddb, 'Lineage');
    const arn = await streamArnOf(t, 'Lineage');
    const reader = new LineageReader(t, arn);
    const ROUNDS = 5;
    for (let round = 0; round < ROUNDS; round++) {
      await putRound(t, 'Lineage', round);
      // Read part of the way while the shards are still open, then let them roll over.
      await reader.drain();
      t.eddy.clock.advance(ROLLOVER_MS);
      // A round with no writes at all: its shards close empty.
      if (round === 2) t.eddy.clock.advance(ROLLOVER_MS);
    }
    await putRound(t, 'Lineage', ROUNDS);
    await reader.drain();

    // Two lanes, each rolled over ROUNDS + 1 times (one extra empty generation).
    const shards = await allShards(t, arn);
    expect(shards).toHaveLength(2 * (ROUNDS + 2));
    const byId = new Map(shards.map((s) => [s.ShardId!, s]));
    const roots = shards.filter((s) => !s.ParentShardId);
    expect(roots).toHaveLength(2);
    for (const shard of shards) {
      if (shard.ParentShardId) expect(byId.has(shard.ParentShardId), shard.ShardId).toBe(true);
      // One child per parent: a lane is a chain.
      expect(shards.filter((s) => s.ParentShardId === shard.ShardId).length).toBeLessThanOrEqual(1);
    }

    // Exactly once: every (key, round) written, no duplicates, no strangers.
    const seen = reader.records.map(({ record }) => label(record));
    const written = Array.from({ length: ROUNDS + 1 }, (_, round) => KEYS.map((pk) => `${pk}@${round}`)).flat();
    expect([...seen].sort()).toEqual([...written].sort());
    expect(new Set(reader.records.map(({ record }) => record.eventID)).size).toBe(written.length);

    // Parents before children: a child was started only after its parent finished, so each key's rounds come in order.
    for (const shard of shards) {
      if (!shard.ParentShardId) continue;
      expect(reader.finished.indexOf(shard.ParentShardId), `${shard.ShardId} after its parent`).toBeGreaterThanOrEqual(0);
      const parentRecords = reader.records.filter((r) => r.shardId === shard.ParentShardId).length;
      expect(parentRecords).toBeLessThanOrEqual(reader.startedAt.get(shard.ShardId!)!);
    }
    for (const pk of KEYS) {
      const rounds = reader.records.filter(({ record }) => record.dynamodb!.Keys!.pk!.S === pk).map(({ record }) => Number(record.dynamodb!.NewImage!.round!.N));
      expect(rounds).toEqual(Array.from({ length: ROUNDS + 1 }, (_, i) => i));
    }

    // Every closed shard ended (missing NextShardIterator); only the open ones are still being polled.
    const closed = shards.filter((s) => s.SequenceNumberRange!.EndingSequenceNumber !== undefined);
    expect(closed).toHaveLength(2 * (ROUNDS + 1));
    expect([...reader.finished].sort()).toEqual(closed.map((s) => s.ShardId!).sort());

    // Each record's sequence number lies in its shard's range, growing within the shard.
    for (const shard of shards) {
      const sequence = reader.records.filter((r) => r.shardId === shard.ShardId).map(({ record }) => BigInt(record.dynamodb!.SequenceNumber!));
      const start = BigInt(shard.SequenceNumberRange!.StartingSequenceNumber!);
      const end = shard.SequenceNumberRange!.EndingSequenceNumber;
      sequence.forEach((seq, i) => {
        expect(seq >= start).toBe(true);
        if (end !== undefined) expect(seq <= BigInt(end)).toBe(true);
        if (i > 0) expect(seq > sequence[i - 1]!).toBe(true);
      });
    }
  });

  it('reads the same records when it comes late, after every rollover', async () => {
    const t = await streamsEddy();
    await createTable(t.ddb, 'Late');
    for (let round = 0; round < 4; round++) {
      await putRound(t, 'Late', round);
      t.eddy.clock.advance(ROLLOVER_MS);
    }
    const reads = await readStream(t, await streamArnOf(t, 'Late'));
    for (const { shard, ended } of reads) expect(ended, shard.ShardId).toBe(shard.SequenceNumberRange!.EndingSequenceNumber !== undefined);
    const records = reads.flatMap((read) => read.records);
    expect(records.map(label).sort()).toEqual(Array.from({ length: 4 }, (_, round) => KEYS.map((pk) => `${pk}@${round}`)).flat().sort());
    for (const pk of KEYS) {
      expect(records.filter((r) => r.dynamodb!.Keys!.pk!.S === pk).map((r) => r.dynamodb!.NewImage!.round!.N)).toEqual(['0', '1', '2', '3']);
    }
  });
});

/** A clock that can move the way wall time does: without telling anyone (no maintenance runs). */
class DriftingClock extends AdjustableClock {
  private drift = 0;
  override now(): number {
    return super.now() + this.drift;
  }
  pass(ms: number): void {
    this.drift += ms;
  }
}

describe('a rollover inside a write that is rolled back', () => {
  // Between two maintenance runs (every second of wall time) the write that
  // finds its shard due rolls it over itself, inside its own transaction.
  // When that transaction is cancelled, the rollover is undone with it.
  // ExecuteTransaction runs its statements one after the other and cancels at
  // the first failure; TransactWriteItems checks everything first, but the
  // store refuses an index key of the wrong type only as it writes.
  it.each([
    ['ExecuteTransaction', (ddb: DynamoDBClient, table: string): Promise<unknown> => ddb.send(new ExecuteTransactionCommand({
      TransactStatements: [{ Statement: `INSERT INTO "${table}" VALUE {'pk': 'never'}` }, { Statement: `INSERT INTO "${table}" VALUE {'pk': 'first'}` }],
    }))],
    ['TransactWriteItems', (ddb: DynamoDBClient, table: string): Promise<unknown> => ddb.send(new TransactWriteItemsCommand({
      TransactItems: [{ Put: { TableName: table, Item: { pk: { S: 'never' } } } }, { Put: { TableName: table, Item: { pk: { S: 'other' }, g: { N: '1' } } } }],
    }))],
  ] as const)('loses no later record (%s)', async (_name, cancelled) => {
    const clock = new DriftingClock();
    const eddy = createEddy({ port: 0, inMemory: true, streamShardRolloverMs: ROLLOVER_MS }, { clock });
    const endpoint = await eddy.listen();
    const ddb = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
    const streams = new DynamoDBStreamsClient({ endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
    const t = { eddy, endpoint, ddb, streams, close: async () => {} } as StreamsEddy;
    cleanups.push(async () => {
      ddb.destroy();
      streams.destroy();
      await eddy.close();
    });

    await createTable(ddb, 'Undone');
    await ddb.send(new PutItemCommand({ TableName: 'Undone', Item: { pk: { S: 'first' } } }));
    clock.pass(ROLLOVER_MS);
    expect((await errorOf(() => cancelled(ddb, 'Undone'))).name).toBe('TransactionCanceledException');
    await ddb.send(new PutItemCommand({ TableName: 'Undone', Item: { pk: { S: 'second' } } }));

    const reads = await readStream(t, await streamArnOf(t, 'Undone'));
    expect(reads.map((read) => read.records.map((r) => r.dynamodb!.Keys!.pk!.S))).toEqual([['first'], ['second']]);
    const [parent, child] = reads.map((read) => read.shard) as [Shard, Shard];
    expect(child.ParentShardId).toBe(parent.ShardId);
    expect(reads[0]!.ended).toBe(true);
  });
});
