import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSqsEddy, type SqsTestEddy } from './helpers.js';

const run = promisify(execFile);
let t: SqsTestEddy;
beforeAll(async () => {
  t = await startSqsEddy();
});
afterAll(() => t.close());

describe('boto3', () => {
  // The one test that waits for real: the guide's loop ends on an empty 20-second long poll, as on AWS.
  it("runs the guide's send_to_dlq and DLQ replay script unchanged", async () => {
    const script = fileURLToPath(new URL('./boto3_sqs.py', import.meta.url));
    const { stdout } = await run('python3', [script, t.endpoint], { timeout: 60_000 });
    const lines = stdout.trim().split('\n');
    const observed = JSON.parse(lines.pop()!);
    expect(observed).toMatchObject({
      dlqUrl: `${t.endpoint}/000000000000/orders-stream-dlq`,
      missing: { code: 'AWS.SimpleQueueService.NonExistentQueue', message: 'The specified queue does not exist.', status: 400 },
      tooMany: { code: 'InvalidParameterValue', message: 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.' },
      queued: '12',
      // The guide names the error by type(error).__name__ of the string it is given.
      attribute: { DataType: 'String', StringValue: 'str' },
      replayed: ['101', '102', '103', '104', '105', '106', '108', '109', '110', '111', '112'],
      left: { visible: '0', inFlight: '1' },
    });
    expect(lines.filter((line) => line.startsWith('Replayed and deleted:'))).toHaveLength(11);
    expect(lines).toContain('Failed replay: 107: still broken');
    // The last receive found the queue empty (107 invisible) and waited its 20 seconds before the loop ended.
    expect(observed.replaySeconds).toBeGreaterThanOrEqual(19.5);
    expect(observed.replaySeconds).toBeLessThan(30);
  }, 60_000);
});

describe('aws CLI', () => {
  const aws = async (...args: string[]) => {
    try {
      const { stdout } = await run('aws', ['--endpoint-url', t.endpoint, '--region', 'us-east-1', '--output', 'json', 'sqs', ...args], {
        env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDEDDY', AWS_SECRET_ACCESS_KEY: 'secret', AWS_PAGER: '' },
        timeout: 60_000,
      });
      return { code: 0, out: stdout.trim() ? JSON.parse(stdout) : undefined, err: '' };
    } catch (error: any) {
      return { code: error.code as number, out: undefined, err: String(error.stderr) };
    }
  };

  it('creates a queue, sends, receives, deletes and reports errors', async () => {
    const created = await aws('create-queue', '--queue-name', 'cli-queue', '--attributes', 'VisibilityTimeout=15');
    const url = created.out.QueueUrl;
    expect(url).toBe(`${t.endpoint}/000000000000/cli-queue`);
    const sent = await aws('send-message', '--queue-url', url, '--message-body', 'from the cli', '--message-attributes', '{"kind":{"DataType":"String","StringValue":"cli"}}');
    expect(sent.out.MD5OfMessageBody).toBe(createHash('md5').update('from the cli').digest('hex'));
    const received = await aws('receive-message', '--queue-url', url, '--message-attribute-names', 'All', '--attribute-names', 'All', '--wait-time-seconds', '1');
    expect(received.out.Messages).toHaveLength(1);
    expect(received.out.Messages[0]).toMatchObject({ Body: 'from the cli', MessageAttributes: { kind: { DataType: 'String', StringValue: 'cli' } } });
    expect(received.out.Messages[0].Attributes.ApproximateReceiveCount).toBe('1');
    const attributes = await aws('get-queue-attributes', '--queue-url', url, '--attribute-names', 'ApproximateNumberOfMessagesNotVisible', 'VisibilityTimeout');
    expect(attributes.out.Attributes).toEqual({ ApproximateNumberOfMessagesNotVisible: '1', VisibilityTimeout: '15' });
    expect((await aws('delete-message', '--queue-url', url, '--receipt-handle', received.out.Messages[0].ReceiptHandle)).code).toBe(0);
    const listed = await aws('list-queues', '--queue-name-prefix', 'cli-');
    expect(listed.out.QueueUrls).toEqual([url]);
    const missing = await aws('get-queue-url', '--queue-name', 'nope');
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: The specified queue does not exist.');
  });
});
