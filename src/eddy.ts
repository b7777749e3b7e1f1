import { ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pino, type Logger } from 'pino';
import { AdjustableClock } from './clock.js';
import { defaultConfig, type EddyConfig } from './config.js';
import { handleAdmin } from './admin.js';
import { createEdge } from './edge/server.js';
import { ItemStore } from './dynamodb/item-store.js';
import { createDynamoDbService } from './dynamodb/service.js';
import { TableCatalog } from './dynamodb/table-catalog.js';
import { TtlSweeper } from './dynamodb/ttl/sweeper.js';
import { createLambda, type FunctionInvoker, type LambdaOptions } from './lambda/index.js';
import { routeFailureDestinations } from './lambda/esm/destinations.js';
import { MappingEngine } from './lambda/esm/engine.js';
import type { EventSources } from './lambda/esm/event-sources.js';
import { MappingStore } from './lambda/esm/mapping-store.js';
import { createSqsSource } from './lambda/esm/sqs-consumer.js';
import { mappingStatuses } from './lambda/esm/metrics.js';
import type { MappingRunner } from './lambda/esm/mapping.js';
import { createIam } from './iam/index.js';
import { createSns, type SnsInternal } from './sns/index.js';
import { createSqs, type SqsInternal } from './sqs/index.js';
import { openDatabase, type Db } from './store/database.js';
import { GroupCommit } from './store/group-commit.js';
import { createStreamsService } from './streams/service.js';
import { createSts } from './sts/index.js';
import { ShardIteratorCodec } from './streams/shard-iterator.js';
import { ShardReaders } from './streams/shard-readers.js';
import { StreamsEngine } from './streams/streams-engine.js';

/** A running (or ready to run) Eddy: one server, one database, one clock. */
export interface Eddy {
  readonly config: EddyConfig;
  readonly clock: AdjustableClock;
  readonly db: Db;
  readonly server: Server;
  /**
   * Group commit: the requests of one event-loop turn share one SQLite
   * transaction and their answers wait for its COMMIT. `afterCommit(fn)` runs
   * `fn` once what was written so far is committed (at once when no group is open).
   */
  readonly commits: GroupCommit;
  /** Every item write goes through it; `items.onChange` observes them (tests, streams). */
  readonly items: ItemStore;
  /** DynamoDB Streams: capture, shards, retention. */
  readonly streams: StreamsEngine;
  /** Lambda: runs functions (`invoke`) and says when none is running (`idle`). */
  readonly lambda: FunctionInvoker;
  /** SQS in-process: `sendMessage` to a queue by ARN (SNS delivery, Lambda destinations), `queueExists`. */
  readonly sqs: SqsInternal;
  /** SNS: `publish` to a topic in-process (Lambda destinations), `idle` waits for deliveries in flight. */
  readonly sns: SnsInternal;
  /** Event source mappings: the engine that runs them (`drain` waits until every committed record is handled). */
  readonly mappings: MappingRunner;
  /** Deletes every TTL-expired item now and returns how many (also done every second and on each clock advance). */
  sweepExpiredItems(): number;
  /** Starts listening; resolves with the endpoint URL (e.g. `http://127.0.0.1:4566`). */
  listen(): Promise<string>;
  /** Stops accepting, lets in-flight requests finish, closes the database. */
  close(): Promise<void>;
}

export interface EddyOptions {
  logger?: Logger;
  clock?: AdjustableClock;
  /** Time to Live sweeper tuning: wall-clock period (1000 ms) and items per transaction (1000). */
  ttlSweep?: { intervalMs?: number; batchSize?: number };
  /** Lambda runtime tuning: worker threads (32) and how long a warm one waits (5 minutes). */
  lambda?: LambdaOptions;
}

export function createEddy(overrides: Partial<EddyConfig> = {}, options: EddyOptions = {}): Eddy {
  const config: EddyConfig = { ...defaultConfig, ...overrides };
  const logger = options.logger ?? pino({ level: process.env.EDDY_LOG_LEVEL ?? 'warn' });
  const clock = options.clock ?? new AdjustableClock();
  const db = openDatabase(config);
  const commits = new GroupCommit(db, {
    // Crash-only: the group's writes are rolled back and its answers were
    // destroyed, but the table catalog, the stream sequence numbers and the
    // shard cache may describe them. A restart rebuilds those from the
    // database, which holds exactly what was acknowledged.
    onCommitFailure: (error) => {
      logger.fatal({ err: error }, 'commit failed: stopping, unacknowledged writes rolled back');
      process.exit(70);
    },
    onDeferredError: (error) => logger.error({ err: error }, 'work after a commit failed'),
  });
  const tables = new TableCatalog(db, clock);
  const items = new ItemStore(db, clock);
  const sqs = createSqs(db, clock);
  const streams = new StreamsEngine(db, clock, {
    shardsPerStream: config.streamShards,
    shardRolloverMs: config.streamShardRolloverMs,
    retentionMs: config.streamRetentionMs,
  });
  // Stream capture runs in SQLite triggers (src/streams/capture-triggers.ts); the engine readies them before each write.
  items.observeWrites(streams);
  // Consumers (event source mappings) read records only once they have committed.
  streams.wakeAfterCommit((fn) => commits.afterCommit(fn));
  const dynamodb = createDynamoDbService({ db, clock, config, tables, items, streams });
  const dynamodbStreams = createStreamsService({
    engine: streams,
    iterators: new ShardIteratorCodec(streams.store.secret('shard-iterators')),
    readers: new ShardReaders(config.streamMaxReadersPerShard),
    tables,
    clock,
  });
  let mappings!: MappingEngine;
  const mappingStore = new MappingStore(db);
  // Sources the mapping control plane checks before it accepts a mapping.
  const eventSources: EventSources = {
    dynamodbStreamExists: (arn) => streams.store.streamByArn.get(arn) !== undefined,
    sqsQueueExists: (arn) => sqs.internal.queueExists(arn),
  };
  // SQS and SNS as Lambda's destinations (event source mappings' on-failure, asynchronous invocations' records, dead-letter queues).
  const destinations = routeFailureDestinations({ sqs: () => sqs.internal, sns: () => sns.internal });
  const lambda = createLambda(db, clock, config, {
    onInvocationLog: (entry) => logger.debug({ functionArn: entry.functionArn, requestId: entry.requestId }, entry.log),
    onError: (error, functionArn) => logger.error({ err: error, functionArn }, 'asynchronous invocation failed'),
    ...options.lambda,
  }, (invoker) => (mappings = new MappingEngine({
    db,
    clock,
    streams,
    invoke: (request) => invoker.invoke(request),
    sources: { sqs: createSqsSource(sqs.queues) },
    mappings: () => mappingStore.list(),
    destinations,
    onProcessingResult: (uuid, text) => mappingStore.setLastProcessingResult(uuid, text),
    onError: (error, uuid) => logger.error({ err: error, mapping: uuid }, 'event source mapping failed'),
  })), { store: mappingStore, sources: eventSources, transitionMs: config.tableTransitionMs }, destinations);
  const sns = createSns({ db, clock, sqs: sqs.internal, lambda: lambda.invoker, onError: (error, what) => logger.error({ err: error, what }, 'SNS delivery failed') });
  const startedAt = Date.now();
  const mappingAdmin = {
    status: () => mappingStatuses(mappingStore.list(), mappings.metrics(), clock.now(), config.tableTransitionMs),
    // The idle barrier covers event source mappings and SNS's http(s) and Lambda deliveries in flight.
    drain: async (timeoutMs: number) => (await Promise.all([mappings.drain(timeoutMs), sns.internal.idleWithin(timeoutMs)])).every(Boolean),
  };

  const server = createEdge({
    jsonServices: [dynamodb, dynamodbStreams, sqs.service],
    restServices: [lambda.service],
    queryServices: [sns.service, sqs.queryService, createIam(db, clock), createSts()],
    defaultRegion: config.region,
    accountId: config.accountId,
    onInternalError: (error, operation) => logger.error({ err: error, operation }, 'internal error'),
    groupCommit: commits,
    admin: (method, path, req, body, res) =>
      handleAdmin(method, path, body, res, { startedAt, config, clock, mappings: mappingAdmin }, new URL(req.url ?? '/', 'http://eddy').searchParams),
  });

  const connections = closeConnectionsOnStop(server);
  const sweeper = new TtlSweeper({ db, clock, tables, items, ...options.ttlSweep, onError: (error) => logger.error({ err: error }, 'TTL sweep failed') });
  sweeper.start();
  mappings.start();
  const streamMaintenance = startStreamMaintenance(streams, clock, (error) => logger.error({ err: error }, 'stream maintenance failed'));
  let closed: Promise<void> | undefined;
  return {
    config,
    clock,
    db,
    server,
    commits,
    items,
    streams,
    lambda: lambda.invoker,
    sqs: sqs.internal,
    sns: sns.internal,
    mappings,
    sweepExpiredItems: () => sweeper.sweepExpiredItems(),
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          const { port } = server.address() as AddressInfo;
          const host = config.host.includes(':') ? `[${config.host}]` : config.host;
          // Handlers reach Eddy on loopback when it listens on every interface.
          const local = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '[::1]' : host;
          lambda.invoker.setEndpoint(`http://${local}:${port}`);
          sns.setEndpoint(`http://${local}:${port}`);
          // Event invocations a previous run accepted and did not finish.
          lambda.invoker.resumeQueuedEvents();
          resolve(`http://${host}:${port}`);
        });
      }),
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        sweeper.stop();
        sqs.close();
        sns.internal.close();
        streamMaintenance.stop();
        // Stopping the function workers ends invocations in flight, so their requests finish too.
        let open = 3;
        const stopped = (): void => {
          if (--open > 0) return;
          commits.flush();
          db.close();
          resolve();
        };
        server.close(stopped);
        connections.stop();
        // The mapping engine stops reading at once; its batches in flight end with the workers.
        void mappings.close().then(stopped, stopped);
        void lambda.close().then(stopped, stopped);
      })),
  };
}

/**
 * Keep-alive clients (every AWS SDK) would hold a connection whose request was
 * in flight at shutdown open until they time out, and server.close() waits for
 * it. From the stop on, each response tells its client `Connection: close` and
 * each finished response closes the connections left idle.
 *
 * Connections are tracked, not requests: a keep-alive client sends thousands
 * of requests on one connection, and per-request bookkeeping cost about 4 µs
 * of every request (docs/performance.md). The response a connection is
 * writing is Node's `socket._httpMessage`, the field its own HTTP server keeps.
 */
function closeConnectionsOnStop(server: Server): { stop(): void } {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const closeAfter = (res: ServerResponse): void => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
    res.once('finish', () => setImmediate(() => server.closeIdleConnections()));
  };
  return {
    stop: () => {
      server.on('request', (_req: IncomingMessage, res: ServerResponse) => closeAfter(res));
      for (const socket of sockets) {
        const inFlight = (socket as Socket & { _httpMessage?: unknown })._httpMessage;
        if (inFlight instanceof ServerResponse) closeAfter(inFlight);
      }
      server.closeIdleConnections();
    },
  };
}

/**
 * Shards roll over and records expire on Eddy's clock: checked every second
 * of wall time (unref'd) and at once whenever a test advances the clock.
 */
function startStreamMaintenance(streams: StreamsEngine, clock: AdjustableClock, onError: (error: unknown) => void): { stop(): void } {
  const run = (): void => {
    try {
      streams.rollOverDueShards();
      streams.trimExpired();
    } catch (error) {
      onError(error);
    }
  };
  const timer = setInterval(run, 1000);
  timer.unref();
  const unsubscribe = clock.onAdvance(run);
  return {
    stop: () => {
      clearInterval(timer);
      unsubscribe();
    },
  };
}
