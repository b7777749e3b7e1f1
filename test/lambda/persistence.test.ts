import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand, GetFunctionCommand, InvokeCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { afterAll, expect, it } from 'vitest';
import { startEddy } from '../helpers/eddy.js';
import { ROLE, createFunction, lambdaClient, payloadOf } from './helpers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'eddy-lambda-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('keeps functions, their code and their concurrency across a restart', async () => {
  const first = await startEddy({ inMemory: false, dataDir });
  const before = lambdaClient(first.endpoint);
  await createFunction(
    before,
    'durable',
    { 'index.mjs': 'export const handler = async (event) => ({ echo: event.value, env: process.env.STAGE });' },
    { Environment: { Variables: { STAGE: 'restart' } }, Tags: { kept: 'yes' } },
  );
  await before.send(new PutFunctionConcurrencyCommand({ FunctionName: 'durable', ReservedConcurrentExecutions: 3 }));
  const described = await before.send(new GetFunctionCommand({ FunctionName: 'durable' }));
  expect(payloadOf(await before.send(new InvokeCommand({ FunctionName: 'durable', Payload: '{"value":1}' })))).toEqual({ echo: 1, env: 'restart' });
  before.destroy();
  await first.close();

  const second = await startEddy({ inMemory: false, dataDir });
  const after = lambdaClient(second.endpoint);
  try {
    const again = await after.send(new GetFunctionCommand({ FunctionName: 'durable' }));
    expect(again.Configuration).toEqual(described.Configuration);
    expect(again.Tags).toEqual({ kept: 'yes' });
    expect(again.Concurrency).toEqual({ ReservedConcurrentExecutions: 3 });
    expect(payloadOf(await after.send(new InvokeCommand({ FunctionName: 'durable', Payload: '{"value":2}' })))).toEqual({ echo: 2, env: 'restart' });
  } finally {
    after.destroy();
    await second.close();
  }
});

it('keeps a function run from a local directory across a restart', async () => {
  const code = join(dataDir, 'local-code');
  mkdirSync(code);
  writeFileSync(join(code, 'index.js'), 'exports.handler = async () => "local";');
  const first = await startEddy({ inMemory: false, dataDir });
  const before = lambdaClient(first.endpoint);
  await before.send(
    new CreateFunctionCommand({ FunctionName: 'local-durable', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { S3Bucket: 'eddy-local', S3Key: code } }),
  );
  const described = await before.send(new GetFunctionCommand({ FunctionName: 'local-durable' }));
  before.destroy();
  await first.close();

  const second = await startEddy({ inMemory: false, dataDir });
  const after = lambdaClient(second.endpoint);
  try {
    expect(await after.send(new GetFunctionCommand({ FunctionName: 'local-durable' }))).toMatchObject({ Configuration: described.Configuration, Code: described.Code });
    expect(payloadOf(await after.send(new InvokeCommand({ FunctionName: 'local-durable' })))).toBe('local');
  } finally {
    after.destroy();
    await second.close();
  }
});
