/**
 * AWS allows about two processes to read one shard at a time and throttles
 * more. A process here is a reader polling on: a chain of iterators that
 * began with one GetShardIterator and continues with the NextShardIterator
 * each GetRecords returns. It counts while it polled within the last second
 * (Eddy's clock). A one-off read with a fresh iterator (a test helper peeking
 * at a shard) does not count, so sequential tooling is never throttled.
 */
export class ShardReaders {
  private readonly recent = new Map<string, Map<string, number>>();

  constructor(
    private readonly maxReaders: number,
    private readonly windowMs = 1000,
  ) {}

  /** Records a read; false when it would make one polling reader too many. */
  admit(shardId: string, reader: string, continued: boolean, now: number): boolean {
    if (!continued) return true;
    let readers = this.recent.get(shardId);
    if (!readers) {
      readers = new Map();
      this.recent.set(shardId, readers);
    }
    for (const [id, at] of readers) if (now - at >= this.windowMs) readers.delete(id);
    if (!readers.has(reader) && readers.size >= this.maxReaders) return false;
    readers.set(reader, now);
    return true;
  }
}
