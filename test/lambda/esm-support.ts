import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { CreateEventSourceMappingCommand, type CreateEventSourceMappingCommandInput, type LambdaClient } from '@aws-sdk/client-lambda';
import { startEddy, type TestEddy } from '../helpers/eddy.js';
import { createFunction, lambdaClient } from './helpers.js';

/** One invocation as the handler received it. */
export interface Invocation {
  Records: { eventName: string; eventSourceARN: string; dynamodb: { Keys: Record<string, AttributeValue>; NewImage?: Record<string, AttributeValue>; SequenceNumber: string; ApproximateCreationDateTime: number } }[];
  [field: string]: unknown;
}

export interface EsmFixture extends TestEddy {
  lambda: LambdaClient;
  streamArn: string;
  table: string;
  /** Every invocation the recording function has received so far, in order. */
  invocations(name?: string): Invocation[];
  /** `pk` (and `n`) of each record of each invocation: the batch contents. */
  batches(name?: string): string[][];
  put(pk: string, extra?: Record<string, AttributeValue>): Promise<void>;
  /** Creates a Node function that appends every event to its log, then runs `body` (an async function body with `event` in scope). */
  recordingFunction(name: string, body?: string, env?: Record<string, string>): Promise<string>;
  logDir: string;
}

/** Eddy with a table `T` (pk string key) streaming NEW_AND_OLD_IMAGES, and helpers to record what functions receive. */
export async function esmFixture(overrides: Parameters<typeof startEddy>[0] = {}): Promise<EsmFixture> {
  const started = await startEddy(overrides);
  const lambda = lambdaClient(started.endpoint);
  const logDir = mkdtempSync(join(tmpdir(), 'eddy-esm-'));
  const table = 'Orders';
  const created = await started.ddb.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  const logOf = (name: string): string => join(logDir, `${name}.jsonl`);
  // Whole lines only: a handler in another process may be appending the last one while it is read.
  const invocations = (name = 'recorder'): Invocation[] =>
    existsSync(logOf(name))
      ? readFileSync(logOf(name), 'utf8')
          .split('\n')
          .slice(0, -1)
          .map((line) => JSON.parse(line) as Invocation)
      : [];
  return {
    ...started,
    lambda,
    logDir,
    table,
    streamArn: created.TableDescription!.LatestStreamArn!,
    invocations,
    batches: (name) => invocations(name).map((event) => event.Records.map((record) => record.dynamodb.Keys.pk!.S!)),
    put: async (pk, extra = {}) => {
      await started.ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, ...extra } }));
    },
    recordingFunction: async (name, body = '', env = {}) => {
      await createFunction(
        lambda,
        name,
        {
          'index.js': `const fs = require('node:fs');
exports.handler = async (event, context) => {
  fs.appendFileSync(process.env.LOG_FILE, JSON.stringify(event) + '\\n');
  ${body}
};`,
        },
        { Environment: { Variables: { LOG_FILE: logOf(name), ...env } } },
      );
      return `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
    },
    close: async () => {
      lambda.destroy();
      await started.close();
    },
  };
}

/**
 * Waits until `condition` holds, re-checking whenever the engine has had a
 * chance to move (a bounded drain), for at most `timeoutMs`: for states that
 * drain() cannot express (a lane that stays blocked while others finish).
 */
export async function until(f: TestEddy, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await f.eddy.mappings.drain(25);
  }
}

/** Creates a mapping from the fixture's stream through the Lambda API (TRIM_HORIZON unless told otherwise); returns its UUID. */
export async function createMapping(f: EsmFixture, functionName: string, input: Partial<CreateEventSourceMappingCommandInput> = {}): Promise<string> {
  const created = await f.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: functionName, EventSourceArn: f.streamArn, StartingPosition: 'TRIM_HORIZON', ...input }));
  return created.UUID!;
}
