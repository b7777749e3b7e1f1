import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEddy, type TestEddy } from '../helpers/eddy.js';

const run = promisify(execFile);
let t: TestEddy;
beforeAll(async () => {
  t = await startEddy();
});
afterAll(async () => t.close());

describe('boto3 batches, transactions and paginators', () => {
  it('cancels a transaction with reasons, applies a token once, and pages a Query', async () => {
    const script = fileURLToPath(new URL('./boto3_transactions.py', import.meta.url));
    const { stdout } = await run('python3', [script, t.endpoint], { timeout: 60_000 });
    const observed = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(observed).toEqual({
      query: {
        pages: 5,
        counts: [7, 7, 7, 7, 2],
        sks: Array.from({ length: 30 }, (_, i) => i),
        lastHasKey: false,
      },
      canceled: {
        code: 'TransactionCanceledException',
        message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]',
        reasons: [
          { Code: 'None' },
          { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 'account' }, sk: { N: '1' }, balance: { N: '100' } } },
          { Code: 'None' },
        ],
      },
      txWritten: false,
      afterTransfer: { balance: '70', amount: '30' },
      mismatch: 'IdempotentParameterMismatchException',
      batchGet: { items: [{ v: 'item-3' }], unprocessed: {} },
    });
  }, 60_000);
});
