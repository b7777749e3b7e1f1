/** Everything an Eddy instance is configured with; the CLI and tests build one. */
export interface EddyConfig {
  port: number;
  host: string;
  /** Directory holding `eddy.db`; ignored when `inMemory`. */
  dataDir: string;
  inMemory: boolean;
  region: string;
  accountId: string;
  /** How long a new or updated table stays CREATING/UPDATING, in milliseconds. */
  tableTransitionMs: number;
  /** Open shards per DynamoDB stream. */
  streamShards: number;
  /** Eddy-clock time after which a stream shard closes and a child opens (AWS: about 4 hours). */
  streamShardRolloverMs: number;
  /** Eddy-clock time stream records stay readable (AWS: 24 hours). */
  streamRetentionMs: number;
  /** Readers of one shard allowed at once before LimitExceededException (AWS: 2). */
  streamMaxReadersPerShard: number;
  /** Whether `POST /_eddy/clock` may move Eddy's clock (tests only). */
  allowClockControl: boolean;
}

export const defaultConfig: EddyConfig = {
  port: 4566,
  host: '127.0.0.1',
  dataDir: '.eddy',
  inMemory: false,
  region: 'us-east-1',
  accountId: '000000000000',
  tableTransitionMs: 0,
  streamShards: 1,
  streamShardRolloverMs: 4 * 60 * 60 * 1000,
  streamRetentionMs: 24 * 60 * 60 * 1000,
  streamMaxReadersPerShard: 2,
  allowClockControl: false,
};
