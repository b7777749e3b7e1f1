import { Command, Option } from 'commander';
import { CliError } from './errors.js';

interface TailOptions {
  endpoint?: string;
  region?: string;
  from: 'trim-horizon' | 'latest';
  json?: boolean;
  pollMs: number;
}

/** `eddy tail <table>`: follows a table's stream like `tail -f`. */
export function tailCommand(): Command {
  return new Command('tail')
    .summary("follow a table's DynamoDB stream")
    .description(
      "Follow a table's DynamoDB stream like tail -f: one line per record (time, event, keys, changed attributes old -> new).\n" +
        'Works against any DynamoDB Streams endpoint: Eddy by default, AWS with --endpoint "" and your usual credentials.',
    )
    .argument('<table>', 'table whose latest stream to follow')
    .addOption(new Option('--endpoint <url>', 'DynamoDB and Streams endpoint ("" for AWS itself)').default('http://127.0.0.1:4566').env('EDDY_ENDPOINT'))
    .addOption(new Option('--region <region>', 'region (default: AWS_REGION, else us-east-1)'))
    .addOption(new Option('--from <position>', 'where to start in each shard').choices(['trim-horizon', 'latest']).default('latest'))
    .addOption(new Option('--json', 'print each record as one JSON line (NDJSON)'))
    .addOption(new Option('--poll-ms <ms>', 'pause between polls of an idle shard').default(250).argParser((v) => Number(v)))
    .addHelpText('after', '\nExamples:\n  $ eddy tail Orders\n  $ eddy tail Orders --from trim-horizon --json | jq .eventName\n  $ eddy tail Orders --endpoint "" --region eu-west-1   # a real AWS table')
    .action(async (table: string, options: TailOptions) => {
      await tail(table, options);
    });
}

async function tail(tableName: string, options: TailOptions): Promise<void> {
  // Loaded here so `eddy start` does not pay for the SDK.
  const { DynamoDBClient, DescribeTableCommand } = await import('@aws-sdk/client-dynamodb');
  const { DynamoDBStreamsClient, DescribeStreamCommand, GetShardIteratorCommand, GetRecordsCommand } = await import('@aws-sdk/client-dynamodb-streams');
  const { formatRecord } = await import('./tail-format.js');
  const local = options.endpoint !== '';
  const config = {
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(local ? { endpoint: options.endpoint } : {}),
    // Eddy accepts any credentials; use the caller's when they have some.
    ...(local && !process.env.AWS_ACCESS_KEY_ID ? { credentials: { accessKeyId: 'eddy', secretAccessKey: 'eddy' } } : {}),
  };
  const ddb = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);

  let streamArn: string | undefined;
  try {
    streamArn = (await ddb.send(new DescribeTableCommand({ TableName: tableName }))).Table?.LatestStreamArn;
  } catch (error) {
    throw new CliError(`cannot describe table ${tableName}: ${(error as Error).message}`, 1);
  }
  if (!streamArn) throw new CliError(`table ${tableName} has no stream; enable one with StreamSpecification`, 1);

  let stopping = false;
  process.once('SIGINT', () => (stopping = true));
  process.once('SIGTERM', () => (stopping = true));

  const iterators = new Map<string, string | undefined>();
  const finished = new Set<string>();
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  let announced = false;
  while (!stopping) {
    const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards ?? [];
    let read = 0;
    for (const shard of shards) {
      const id = shard.ShardId!;
      // Parents first: a child starts once its parent is read to the end (or is gone).
      if (finished.has(id)) continue;
      if (shard.ParentShardId && shards.some((s) => s.ShardId === shard.ParentShardId) && !finished.has(shard.ParentShardId)) continue;
      if (!iterators.has(id)) {
        // A child of a shard we followed starts at its beginning, so nothing falls between them.
        const type = options.from === 'trim-horizon' || shard.ParentShardId ? 'TRIM_HORIZON' : 'LATEST';
        iterators.set(id, (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: id, ShardIteratorType: type }))).ShardIterator);
      }
      const iterator = iterators.get(id);
      if (!iterator) {
        finished.add(id);
        continue;
      }
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      for (const record of page.Records ?? []) {
        process.stdout.write(`${options.json ? JSON.stringify(record) : formatRecord(record)}\n`);
      }
      read += page.Records?.length ?? 0;
      iterators.set(id, page.NextShardIterator);
      if (!page.NextShardIterator) finished.add(id);
    }
    if (!announced) {
      // On stderr, so stdout stays records only; scripts can wait for it before writing.
      process.stderr.write(`eddy tail: following ${streamArn} from ${options.from}\n`);
      announced = true;
    }
    if (read === 0) await pause(options.pollMs);
  }
  ddb.destroy();
  streams.destroy();
}
