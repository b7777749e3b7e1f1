/**
 * The event source mapping engine: runs every enabled mapping, in process,
 * calling the same `invoke` as the Invoke API.
 *
 * Sources plug in by `mapping.kind`: a {@link SourceFactory} takes a mapping
 * and a {@link SourceContext} and returns a {@link SourceConsumer}, which the
 * engine starts (the factory), stops (`stop`: paused or changed; a new one
 * resumes from the checkpoints), forgets (`forget`, on
 * delete) and asks whether it has caught up (`drainMark`/`reached`, for
 * `drain`). DynamoDB Streams is built in (`dynamodb-source.ts`); another
 * source comes through the `sources` option, e.g. `{ sqs: createSqsSource(queues) }`
 * (`sqs-consumer.ts`). Counters are the engine's
 * ({@link MappingCounters}), so they survive a pause and an update.
 */
import type { AdjustableClock } from '../../clock.js';
import { compileFilterCriteria } from '../../event-patterns/index.js';
import type { Db } from '../../store/database.js';
import type { StreamsEngine } from '../../streams/streams-engine.js';
import { createDynamoDbSource } from './dynamodb-source.js';
import type { InvokeRequest, InvokeResult } from '../runtime/invoker.js';
import type { EventSourceKind, EventSourceMapping, FailureDestinations, MappingCounters, MappingMetrics, MappingRunner } from './mapping.js';

/** What a source consumer may use. */
export interface SourceContext {
  db: Db;
  clock: AdjustableClock;
  streams: StreamsEngine;
  invoke(request: InvokeRequest): Promise<InvokeResult>;
  destinations: FailureDestinations | undefined;
  /** Compiles FilterCriteria patterns into a record test (undefined: every record passes). */
  compileFilter(patterns: string[]): ((record: unknown) => boolean) | undefined;
  counters: MappingCounters;
  /** "OK" or "PROBLEM: ..." after each invocation; the engine tells the control plane when it changes. */
  processingResult(text: string): void;
  /** Something was processed: the engine re-checks waiting drains. */
  progress(): void;
  onError(error: unknown): void;
}

/** One running mapping. A changed mapping gets a new consumer (after the old one stopped), which resumes from the checkpoints. */
export interface SourceConsumer {
  /** Paused, changed or deleted: stop reading, let the batch in flight finish, keep checkpoints. */
  stop(): Promise<void>;
  /** Deleted: drop checkpoints and any other durable state (after `stop`). */
  forget(): void;
  /** A token for "everything committed until now". */
  drainMark(): unknown;
  /** Whether everything the mark covers is processed, filtered or given up on. */
  reached(mark: unknown): boolean;
  shards(): MappingMetrics['shards'];
}

export type SourceFactory = (mapping: EventSourceMapping, ctx: SourceContext) => SourceConsumer;

export interface MappingEngineOptions {
  db: Db;
  clock: AdjustableClock;
  streams: StreamsEngine;
  invoke(request: InvokeRequest): Promise<InvokeResult>;
  /** The mappings stored when Eddy starts; every enabled one is resumed by `start`. */
  mappings(): EventSourceMapping[];
  destinations?: FailureDestinations;
  /** Sources beyond DynamoDB Streams, by kind. */
  sources?: Partial<Record<EventSourceKind, SourceFactory>>;
  onProcessingResult?(uuid: string, lastProcessingResult: string): void;
  onError?(error: unknown, uuid: string): void;
}

interface Running {
  mapping: EventSourceMapping;
  counters: MappingCounters;
  lastProcessingResult: string;
  consumer?: SourceConsumer;
  /** The consumer being stopped (a disable or update in progress). */
  stopping?: Promise<void>;
}

const newCounters = (): MappingCounters => ({ iteratorAgeMs: 0, invocations: 0, errors: 0, throttles: 0, recordsDelivered: 0, recordsFiltered: 0, recordsFailed: 0, onFailureSends: 0 });

export class MappingEngine implements MappingRunner {
  private readonly running = new Map<string, Running>();
  private readonly sources: Partial<Record<EventSourceKind, SourceFactory>>;
  private readonly drainWaiters = new Set<() => void>();
  /** Deleted mappings whose consumer is still stopping or whose checkpoints are not dropped yet. */
  private readonly removals = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: MappingEngineOptions) {
    this.sources = { dynamodb: createDynamoDbSource, ...options.sources };
  }

  /** Resumes every stored mapping (enabled ones start consuming from their checkpoints). */
  start(): void {
    for (const mapping of this.options.mappings()) this.apply(mapping);
  }

  apply(mapping: EventSourceMapping): void {
    if (this.closed) return;
    let entry = this.running.get(mapping.uuid);
    if (!entry) {
      entry = { mapping, counters: newCounters(), lastProcessingResult: mapping.lastProcessingResult };
      this.running.set(mapping.uuid, entry);
    }
    const previous = entry.mapping;
    entry.mapping = mapping;
    const wanted = mapping.enabled && mapping.state !== 'Deleting' && mapping.state !== 'Disabled' && mapping.state !== 'Disabling';
    if (!wanted) {
      this.stopConsumer(entry);
      return;
    }
    // A state transition alone (Creating -> Enabled) leaves the consumer running;
    // changed settings restart it from its checkpoints.
    if (entry.consumer && sameSettings(previous, mapping)) return;
    this.stopConsumer(entry);
    const factory = this.sources[mapping.kind];
    if (!factory) {
      // The control plane accepts only kinds with a consumer; say so rather than run nothing silently.
      this.options.onError?.(new Error(`no event source consumer for ${mapping.kind} mappings`), mapping.uuid);
      return;
    }
    const run = entry;
    const startConsumer = (): void => {
      if (this.closed || this.running.get(mapping.uuid) !== run || run.consumer) return;
      run.consumer = factory(run.mapping, this.contextFor(run));
      this.notifyProgress();
    };
    if (run.stopping) void run.stopping.then(startConsumer);
    else startConsumer();
  }

  remove(uuid: string): void {
    const entry = this.running.get(uuid);
    if (!entry) return;
    this.running.delete(uuid);
    const consumer = entry.consumer;
    this.stopConsumer(entry);
    const removal = (entry.stopping ?? Promise.resolve())
      .then(() => consumer?.forget())
      .catch((error: unknown) => this.options.onError?.(error, uuid))
      .finally(() => {
        this.removals.delete(removal);
        this.notifyProgress();
      });
    this.removals.add(removal);
  }

  drain(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      let marks = this.marks();
      const check = (): void => {
        if (!this.allReached(marks)) return;
        // What those invocations wrote may feed other mappings: done once a fresh mark is reached too.
        const fresh = this.marks();
        if (this.allReached(fresh)) return finish(true);
        marks = fresh;
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (result: boolean): void => {
        clearTimeout(timer);
        this.drainWaiters.delete(check);
        resolve(result);
      };
      this.drainWaiters.add(check);
      check();
    });
  }

  metrics(): MappingMetrics[] {
    return [...this.running.values()].map((entry) => ({
      uuid: entry.mapping.uuid,
      functionArn: entry.mapping.functionArn,
      eventSourceArn: entry.mapping.eventSourceArn,
      state: entry.mapping.state,
      ...entry.counters,
      lastProcessingResult: entry.lastProcessingResult,
      shards: entry.consumer?.shards() ?? [],
    }));
  }

  async close(): Promise<void> {
    this.closed = true;
    const stops = [...this.running.values()].map((entry) => {
      this.stopConsumer(entry);
      return entry.stopping;
    });
    await Promise.all([...stops, ...this.removals]);
    for (const check of [...this.drainWaiters]) check();
  }

  private stopConsumer(entry: Running): void {
    const consumer = entry.consumer;
    if (!consumer) return;
    entry.consumer = undefined;
    const previous = entry.stopping ?? Promise.resolve();
    const stopping = previous.then(() => consumer.stop()).catch((error: unknown) => this.options.onError?.(error, entry.mapping.uuid));
    entry.stopping = stopping;
    void stopping.then(() => {
      if (entry.stopping === stopping) entry.stopping = undefined;
      this.notifyProgress();
    });
  }

  private marks(): Map<SourceConsumer, unknown> {
    const marks = new Map<SourceConsumer, unknown>();
    for (const entry of this.running.values()) if (entry.consumer) marks.set(entry.consumer, entry.consumer.drainMark());
    return marks;
  }

  private allReached(marks: Map<SourceConsumer, unknown>): boolean {
    for (const [consumer, mark] of marks) {
      const live = [...this.running.values()].some((entry) => entry.consumer === consumer);
      if (live && !consumer.reached(mark)) return false;
    }
    // A mapping still being started or stopped has not settled yet.
    for (const entry of this.running.values()) if (entry.stopping) return false;
    return this.removals.size === 0;
  }

  private notifyProgress(): void {
    for (const check of [...this.drainWaiters]) check();
  }

  private contextFor(entry: Running): SourceContext {
    const { options } = this;
    return {
      db: options.db,
      clock: options.clock,
      streams: options.streams,
      invoke: options.invoke,
      destinations: options.destinations,
      compileFilter: (patterns) => (patterns.length === 0 ? undefined : compileFilterCriteria(patterns)),
      counters: entry.counters,
      processingResult: (text) => {
        if (entry.lastProcessingResult === text) return;
        entry.lastProcessingResult = text;
        options.onProcessingResult?.(entry.mapping.uuid, text);
      },
      progress: () => this.notifyProgress(),
      onError: (error) => options.onError?.(error, entry.mapping.uuid),
    };
  }
}

/** Whether two versions of a mapping consume alike: they differ only in state, its reason, times or the last result. */
function sameSettings(a: EventSourceMapping, b: EventSourceMapping): boolean {
  const settings = (m: EventSourceMapping): string => {
    const { state: _state, stateTransitionReason: _reason, lastModified: _modified, lastProcessingResult: _result, ...rest } = m;
    return JSON.stringify(rest);
  };
  return settings(a) === settings(b);
}
