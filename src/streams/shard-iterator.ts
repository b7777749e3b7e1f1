import { createHmac, timingSafeEqual } from 'node:crypto';

/** Where a reader stands in a shard: it reads records with a sequence above `after`. */
export interface IteratorPosition {
  streamArn: string;
  shardId: string;
  after: number;
  /** Eddy-clock time the iterator was issued; iterators expire 15 minutes later. */
  issuedAt: number;
  /** Identifies one reader across the iterators it chains, for the concurrent-reader limit. */
  reader: string;
  /** True for a NextShardIterator (a reader polling on), false for one fresh from GetShardIterator. */
  continued: boolean;
}

/**
 * Shard iterators are opaque to clients and tamper-evident: the position is
 * signed with a key kept in the database, so iterators survive a restart and
 * a forged or edited one is refused.
 */
export class ShardIteratorCodec {
  constructor(private readonly key: Buffer) {}

  encode(position: IteratorPosition): string {
    const payload = Buffer.from(JSON.stringify([position.streamArn, position.shardId, position.after, position.issuedAt, position.reader, position.continued ? 1 : 0])).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The position, or undefined when the token is not one this database issued. */
  decode(token: string): IteratorPosition | undefined {
    const dot = token.indexOf('.');
    if (dot <= 0) return undefined;
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.sign(payload), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const [streamArn, shardId, after, issuedAt, reader, continued] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [string, string, number, number, string, number];
      return { streamArn, shardId, after, issuedAt, reader, continued: continued === 1 };
    } catch {
      return undefined;
    }
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
