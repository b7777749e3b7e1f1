import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMapping, esmFixture, type EsmFixture } from './esm-support.js';
import { ROLE } from './helpers.js';

let f: EsmFixture;
beforeEach(async () => {
  f = await esmFixture();
});
afterEach(async () => {
  await f.close();
});

const handlers = fileURLToPath(new URL('./esm-handlers/', import.meta.url));

async function localFunction(name: string, directory: string): Promise<string> {
  const processed = join(f.logDir, `${name}.processed`);
  await f.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { S3Bucket: 'eddy-local', S3Key: join(handlers, directory) },
      Environment: { Variables: { LOG_FILE: join(f.logDir, `${name}.jsonl`), PROCESSED: processed } },
    }),
  );
  return processed;
}

const read = (path: string): string[] => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((line) => line !== '') : []);

describe('handler libraries work unchanged', () => {
  it('@aws-lambda-powertools/batch processPartialResponse: the poison record is isolated by bisect, the rest processed', async () => {
    const processed = await localFunction('powertools', 'powertools');
    for (const pk of ['a', 'b']) await f.put(pk);
    await f.put('p', { poison: { BOOL: true } });
    await f.put('d');
    await createMapping(f, 'powertools', { BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'], BisectBatchOnFunctionError: true, MaximumRetryAttempts: 1 });
    expect(await f.eddy.mappings.drain(20_000)).toBe(true);
    // Powertools reports p (the rest after it is retried, split at p); alone, p fails every record,
    // so Powertools throws FullBatchFailureError: a function error, retried once, then given up.
    expect(f.batches('powertools')).toEqual([['a', 'b', 'p', 'd'], ['p', 'd'], ['p'], ['p'], ['d']]);
    expect(read(processed)).toEqual(['a', 'b', 'd', 'd', 'd']);
    expect(f.eddy.mappings.metrics()[0]).toMatchObject({ recordsFailed: 1, recordsDelivered: 3 });
  });

  it('middy (@middy/core) with a middleware and a partial batch response', async () => {
    const processed = await localFunction('middy', 'middy');
    await f.put('a');
    await f.put('p', { poison: { BOOL: true } });
    await f.put('c');
    await createMapping(f, 'middy', { BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'], MaximumRetryAttempts: 1 });
    expect(await f.eddy.mappings.drain(20_000)).toBe(true);
    expect(f.batches('middy')).toEqual([['a', 'p', 'c'], ['p', 'c']]);
    expect(read(processed)).toEqual(['a', 'c', 'c']);
    expect(f.eddy.mappings.metrics()[0]).toMatchObject({ recordsFailed: 2, recordsDelivered: 1 });
  });
});
