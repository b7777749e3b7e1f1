import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { pino } from 'pino';
import { defaultConfig, type EddyConfig } from '../config.js';
import type { Eddy } from '../eddy.js';
import type { ProjectFile } from '../project/project-file.js';
import { CliError } from './errors.js';
import {
  integerBetween,
  parseAccountId,
  parseBooleanEnv,
  parseDuration,
  parseDataDir,
  parseHost,
  parseLogLevel,
  parseNonNegativeInteger,
  parsePort,
  parseRegion,
  type LogLevel,
} from './parsers.js';

interface StartOptions {
  port: number;
  host: string;
  data: string;
  inMemory?: boolean;
  region: string;
  accountId: string;
  tableTransitionMs: number;
  streamShards: number;
  streamShardRollover: number;
  streamRetention: number;
  streamMaxReaders: number;
  allowClockControl?: boolean;
  config?: string;
  logLevel: LogLevel;
}

/** `eddy start`: runs the emulator in the foreground until SIGINT or SIGTERM. */
export function startCommand(): Command {
  return new Command('start')
    .summary('start Eddy in the foreground')
    .description(
      'Start Eddy in the foreground: the DynamoDB, Streams, Lambda, SQS and SNS APIs on one HTTP port, with everything kept in SQLite.\n' +
        'Prints one line to stdout when it is ready to take requests; logs go to stderr.\n' +
        'Stop it with Ctrl+C or SIGTERM: requests in flight finish, then the database closes (a second signal forces exit).',
    )
    .addOption(new Option('-p, --port <port>', 'port to listen on; 0 picks a free one').default(defaultConfig.port).env('EDDY_PORT').argParser(parsePort))
    .addOption(
      new Option('--host <host>', 'address to listen on; 0.0.0.0 to accept other machines').default(defaultConfig.host).env('EDDY_HOST').argParser(parseHost),
    )
    .addOption(
      new Option('-d, --data <dir>', 'directory for the database file <dir>/eddy.db (created if missing)')
        .default(defaultConfig.dataDir)
        .env('EDDY_DATA')
        .argParser(parseDataDir),
    )
    .addOption(new Option('--in-memory', 'keep everything in memory and write nothing to disk (env: EDDY_IN_MEMORY=1 or true)'))
    .addOption(new Option('--region <region>', 'region the API reports in ARNs').default(defaultConfig.region).env('EDDY_REGION').argParser(parseRegion))
    .addOption(
      new Option('--account-id <id>', '12-digit account id the API reports in ARNs')
        .default(defaultConfig.accountId)
        .env('EDDY_ACCOUNT_ID')
        .argParser(parseAccountId),
    )
    .addOption(
      new Option('--table-transition-ms <ms>', 'how long new or updated tables stay CREATING/UPDATING before ACTIVE')
        .default(defaultConfig.tableTransitionMs)
        .env('EDDY_TABLE_TRANSITION_MS')
        .argParser(parseNonNegativeInteger),
    )
    .addOption(
      new Option('--stream-shards <n>', 'open shards per DynamoDB stream (each item stays in one shard)')
        .default(defaultConfig.streamShards)
        .env('EDDY_STREAM_SHARDS')
        .argParser(integerBetween(1, 100)),
    )
    .addOption(
      new Option('--stream-shard-rollover <duration>', "how long a stream shard stays open before it closes and a child opens (Eddy's clock)")
        .default(defaultConfig.streamShardRolloverMs, '4h')
        .env('EDDY_STREAM_SHARD_ROLLOVER')
        .argParser(parseDuration),
    )
    .addOption(
      new Option('--stream-retention <duration>', "how long stream records stay readable (Eddy's clock)")
        .default(defaultConfig.streamRetentionMs, '24h')
        .env('EDDY_STREAM_RETENTION')
        .argParser(parseDuration),
    )
    .addOption(
      new Option('--stream-max-readers <n>', 'readers of one shard at once before GetRecords is throttled')
        .default(defaultConfig.streamMaxReadersPerShard)
        .env('EDDY_STREAM_MAX_READERS')
        .argParser(integerBetween(1, 1000)),
    )
    .addOption(
      new Option('-c, --config <file>', 'project file (YAML or JSON) declaring tables, queues, topics, functions and event source mappings to create at start').env(
        'EDDY_CONFIG',
      ),
    )
    .addOption(new Option('--allow-clock-control', "let POST /_eddy/clock move Eddy's clock forward, for tests (env: EDDY_ALLOW_CLOCK_CONTROL=1)"))
    .addOption(
      new Option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (logs go to stderr)')
        .default('warn')
        .env('EDDY_LOG_LEVEL')
        .argParser(parseLogLevel),
    )
    .addHelpText(
      'after',
      `
A flag wins over its environment variable; an environment variable wins over the default.
--data and --in-memory cannot be given together (nor EDDY_DATA with EDDY_IN_MEMORY=1);
a flag for one overrides an environment variable for the other.

Examples:
  $ eddy start                                   # http://127.0.0.1:4566, tables in ./.eddy/eddy.db
  $ eddy start --port 0 --in-memory              # a free port, nothing on disk (for tests)
  $ eddy start --config eddy.config.yaml         # also create what the project file declares (docs/project-file.md)
  $ EDDY_PORT=8000 EDDY_DATA=/tmp/eddy eddy start
  $ aws dynamodb list-tables --endpoint-url http://127.0.0.1:4566`,
    )
    .action(async (_options: unknown, command: Command) => {
      const options = command.opts<StartOptions>();
      await start(resolveConfig(command), options.logLevel, options.config);
    });
}

/** Turns the parsed flags and environment into an EddyConfig, refusing contradictions as usage errors. */
function resolveConfig(command: Command): EddyConfig {
  const options = command.opts<StartOptions>();
  let inMemoryEnv: boolean | undefined;
  let allowClockEnv: boolean | undefined;
  try {
    inMemoryEnv = parseBooleanEnv('EDDY_IN_MEMORY', process.env.EDDY_IN_MEMORY);
    allowClockEnv = parseBooleanEnv('EDDY_ALLOW_CLOCK_CONTROL', process.env.EDDY_ALLOW_CLOCK_CONTROL);
  } catch (error) {
    command.error(`error: ${(error as InvalidArgumentError).message}`, { exitCode: 2, code: 'eddy.invalidEnv' });
  }
  const inMemoryFlag = options.inMemory === true;
  const dataSource = command.getOptionValueSource('data');

  if (inMemoryFlag && dataSource === 'cli') {
    command.error('error: --data and --in-memory cannot be used together: choose a directory to keep tables in, or keep them in memory.', {
      exitCode: 2,
      code: 'eddy.conflictingOptions',
    });
  }
  if (!inMemoryFlag && dataSource === 'env' && inMemoryEnv === true) {
    command.error('error: EDDY_DATA and EDDY_IN_MEMORY=1 cannot both be set: unset one, or override with --data or --in-memory.', {
      exitCode: 2,
      code: 'eddy.conflictingOptions',
    });
  }

  return {
    port: options.port,
    host: options.host,
    dataDir: options.data,
    inMemory: inMemoryFlag || (inMemoryEnv === true && dataSource !== 'cli'),
    region: options.region,
    accountId: options.accountId,
    tableTransitionMs: options.tableTransitionMs,
    streamShards: options.streamShards,
    streamShardRolloverMs: options.streamShardRollover,
    streamRetentionMs: options.streamRetention,
    streamMaxReadersPerShard: options.streamMaxReaders,
    allowClockControl: options.allowClockControl === true || allowClockEnv === true,
  };
}

async function start(config: EddyConfig, logLevel: LogLevel, projectPath: string | undefined): Promise<void> {
  // Logs go to stderr so that stdout carries only the ready line.
  const logger = pino({ level: logLevel, name: 'eddy' }, pino.destination({ dest: 2, sync: true }));
  // A malformed project file is refused before anything starts.
  const project = projectPath === undefined ? undefined : await loadProject(projectPath);

  // Loaded here, not at the top, so that `eddy --help` does not load SQLite and the services.
  const { createEddy } = await import('../eddy.js');
  let eddy: Eddy;
  try {
    eddy = createEddy(config, { logger });
  } catch (error) {
    throw new CliError(describeStorageError(error, config), 1);
  }

  let stopping = false;
  let listening: Promise<unknown> = Promise.resolve();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`eddy: ${signal} received again; exiting before shutdown finished\n`);
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: waiting for requests in flight, then closing the database');
    listening
      .catch(() => undefined)
      .then(() => eddy.close())
      .then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          process.stderr.write(`eddy: shutdown failed: ${(error as Error).message}\n`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let url: string;
  try {
    listening = eddy.listen();
    url = (await listening) as string;
  } catch (error) {
    await eddy.close().catch(() => undefined);
    throw new CliError(describeListenError(error, config), 1);
  }
  if (stopping) return;

  if (project) {
    const { applyProject } = await import('../project/apply-project.js');
    try {
      const applied = await applyProject(project, { endpoint: loopback(url), region: config.region, accountId: config.accountId });
      for (const resource of applied) logger.info(resource, `${resource.action} ${resource.kind} ${resource.name}`);
    } catch (error) {
      await eddy.close().catch(() => undefined);
      throw new CliError((error as Error).message, 1);
    }
  }

  const where = config.inMemory ? 'in memory' : `data: ${join(config.dataDir, 'eddy.db')}`;
  process.stdout.write(`Eddy ready on ${url} (${where})\n`);
  logger.info({ url, ...config }, 'ready');
}

async function loadProject(path: string): Promise<ProjectFile> {
  const { readProjectFile } = await import('../project/project-file.js');
  try {
    return readProjectFile(path);
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
}

/** The address Eddy reaches itself on: loopback when it listens on every interface. */
function loopback(url: string): string {
  return url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:');
}

function describeListenError(error: unknown, config: EddyConfig): string {
  const code = (error as NodeJS.ErrnoException).code;
  const at = `${config.host}:${config.port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `port ${config.port} on ${config.host} is already in use (is another Eddy running?); choose another with --port or EDDY_PORT, or --port 0 for a free one.`;
    case 'EACCES':
      return `not allowed to listen on ${at}; ports below 1024 usually need privileges, choose another with --port.`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${at}: ${config.host} is not an address of this machine; use --host 127.0.0.1 or 0.0.0.0.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot listen on ${at}: the host name ${config.host} does not resolve.`;
    default:
      return `cannot listen on ${at}: ${(error as Error).message}`;
  }
}

function describeStorageError(error: unknown, config: EddyConfig): string {
  const message = (error as Error).message;
  if (config.inMemory) return `cannot open the in-memory database: ${message}`;
  const hint = /database is locked/.test(message) ? ' (another Eddy is using this data directory; stop it or choose another with --data)' : '';
  return `cannot open the database ${join(config.dataDir, 'eddy.db')}: ${message}${hint}`;
}
