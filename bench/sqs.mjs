// SQS (issue 6): the SendMessage + ReceiveMessage + DeleteMessage cycle, and
// how fast a long poll wakes when a message arrives. See bench/README.md.
// Runs on its own (needs a build):
//
//   node bench/sqs.mjs
//
// A fresh Eddy on disk. A lean keep-alive client (no SDK, no signing cost)
// speaks AWS JSON 1.0.
//  - cycle: BENCH_CONCURRENCY loops each send one message, receive one
//    (MaxNumberOfMessages 1) and delete it by its receipt handle, until
//    BENCH_SQS_MESSAGES messages went round, after a warm-up. Reported:
//    messages/s on the client's wall clock and Eddy's CPU per message.
//    Target: ≥ 3,000 messages/s.
//  - wake-up: BENCH_SQS_WAKEUPS times, a ReceiveMessage with WaitTimeSeconds=20
//    waits on an empty queue; once Eddy has it, a SendMessage goes out on
//    another connection. Reported: from writing the SendMessage to the long
//    poll's answer, p50 and p99 (the send's own round trip included). Target:
//    p50 < 2 ms.
//  - reference: BENCH_SQS_MESSAGES GetQueueUrl requests (the cheapest SQS
//    request: validation, one map lookup, the HTTP round trip), so a reader can
//    tell how much of the cycle is the machine's HTTP cost on that run.
//
// Environment (all optional): BENCH_SQS_MESSAGES=20000, BENCH_SQS_WARMUP=2000,
// BENCH_SQS_WAKEUPS=300, BENCH_CONCURRENCY=32, BENCH_PIN=1 (Eddy on CPU 1),
// BENCH_SQS_IN_MEMORY=1 (Eddy --in-memory, to see what the disk costs),
// BENCH_SQS_PROFILE=<dir> (Eddy under --cpu-prof).
import { Agent, request } from 'node:http';
import { hrtime } from 'node:process';
import { fileURLToPath } from 'node:url';
import { intEnv, median, pinToCpu, processCpu, removeDir, sleep, startEddy, stopServer, tempDataDir } from './lib.mjs';

const CYCLE_TARGET = 3_000;
const WAKEUP_TARGET_MS = 2;
const SIGNED = 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00';

export function sqsConfig() {
  return {
    messages: intEnv('BENCH_SQS_MESSAGES', 20_000),
    warmup: intEnv('BENCH_SQS_WARMUP', 2_000),
    wakeups: intEnv('BENCH_SQS_WAKEUPS', 300),
    concurrency: intEnv('BENCH_CONCURRENCY', 32),
    pin: intEnv('BENCH_PIN', 0) === 1,
    inMemory: intEnv('BENCH_SQS_IN_MEMORY', 0) === 1,
    profileDir: process.env.BENCH_SQS_PROFILE || undefined,
  };
}

function client(port, maxSockets) {
  const agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  const call = (operation, input) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(input);
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/',
          agent,
          headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AmazonSQS.${operation}`, Authorization: SIGNED, 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) reject(new Error(`${operation}: ${res.statusCode} ${text}`));
            else resolve(JSON.parse(text));
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { call, close: () => agent.destroy() };
}

async function cycle(c, queueUrl, count, concurrency) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await c.call('SendMessage', { QueueUrl: queueUrl, MessageBody: `{"order":${next},"status":"NEW"}` });
      // Another loop may have taken this loop's message; then this one's receive may come back empty, and the message is drained below.
      const { Messages } = await c.call('ReceiveMessage', { QueueUrl: queueUrl, MaxNumberOfMessages: 1 });
      if (Messages) await c.call('DeleteMessage', { QueueUrl: queueUrl, ReceiptHandle: Messages[0].ReceiptHandle });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  for (;;) {
    const { Messages } = await c.call('ReceiveMessage', { QueueUrl: queueUrl, MaxNumberOfMessages: 10 });
    if (!Messages) break;
    for (const m of Messages) await c.call('DeleteMessage', { QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle });
  }
}

async function wakeups(poller, sender, queueUrl, count) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const polling = poller.call('ReceiveMessage', { QueueUrl: queueUrl, WaitTimeSeconds: 20 });
    // Let Eddy read the long poll and start waiting before the send.
    await sleep(2);
    const started = hrtime.bigint();
    const sending = sender.call('SendMessage', { QueueUrl: queueUrl, MessageBody: `wake ${i}` });
    const { Messages } = await polling;
    samples.push(Number(hrtime.bigint() - started) / 1e6);
    await sending;
    await poller.call('DeleteMessage', { QueueUrl: queueUrl, ReceiptHandle: Messages[0].ReceiptHandle });
  }
  samples.sort((a, b) => a - b);
  return { p50: median(samples), p99: samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.99))] };
}

export async function runSqs(config = sqsConfig(), log = console.log) {
  const dataDir = config.inMemory ? undefined : tempDataDir();
  const server = await startEddy({ dataDir, nodeFlags: config.profileDir ? ['--cpu-prof', '--cpu-prof-dir', config.profileDir] : [] });
  const c = client(server.port, config.concurrency);
  const poller = client(server.port, 1);
  const sender = client(server.port, 1);
  try {
    if (config.pin) pinToCpu(server.pid, 1);
    await sleep(300);
    const { QueueUrl } = await c.call('CreateQueue', { QueueName: 'bench-cycle' });
    await cycle(c, QueueUrl, config.warmup, config.concurrency);
    const cpuBefore = processCpu(server.pid);
    const started = hrtime.bigint();
    await cycle(c, QueueUrl, config.messages, config.concurrency);
    const seconds = Number(hrtime.bigint() - started) / 1e9;
    const cpuAfter = processCpu(server.pid);
    const cpuMicros = cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system;
    const { Attributes } = await c.call('GetQueueAttributes', { QueueUrl, AttributeNames: ['All'] });
    if (Attributes.ApproximateNumberOfMessages !== '0' || Attributes.ApproximateNumberOfMessagesNotVisible !== '0') {
      throw new Error(`the cycle left messages behind: ${JSON.stringify(Attributes)}`);
    }
    const cycleResult = { messagesPerSecond: Math.round(config.messages / seconds), cpuMicrosPerMessage: Math.round(cpuMicros / config.messages) };
    log(
      `SQS Send+Receive+Delete${config.inMemory ? ' (in memory)' : ''}: ${cycleResult.messagesPerSecond} messages/s (target ≥ ${CYCLE_TARGET}), ` +
        `${cycleResult.cpuMicrosPerMessage} µs Eddy CPU per message (3 requests) ` +
        `(${config.messages} messages + ${config.warmup} warm-up, concurrency ${config.concurrency})`,
    );

    const refBefore = processCpu(server.pid);
    const refStarted = hrtime.bigint();
    let sent = 0;
    await Promise.all(
      Array.from({ length: config.concurrency }, async () => {
        while (sent++ < config.messages) await c.call('GetQueueUrl', { QueueName: 'bench-cycle' });
      }),
    );
    const refSeconds = Number(hrtime.bigint() - refStarted) / 1e9;
    const refAfter = processCpu(server.pid);
    const reference = {
      requestsPerSecond: Math.round(config.messages / refSeconds),
      cpuMicrosPerRequest: Math.round((refAfter.user + refAfter.system - refBefore.user - refBefore.system) / config.messages),
    };
    log(`SQS reference, GetQueueUrl: ${reference.requestsPerSecond} requests/s, ${reference.cpuMicrosPerRequest} µs Eddy CPU per request`);

    const { QueueUrl: pollUrl } = await c.call('CreateQueue', { QueueName: 'bench-wakeup' });
    await wakeups(poller, sender, pollUrl, 20);
    const wake = await wakeups(poller, sender, pollUrl, config.wakeups);
    log(`SQS long-poll wake-up (send written -> long poll answered): p50 ${wake.p50.toFixed(2)} ms (target < ${WAKEUP_TARGET_MS} ms), p99 ${wake.p99.toFixed(2)} ms (${config.wakeups} samples)`);
    return { cycle: cycleResult, reference, wakeup: wake };
  } finally {
    c.close();
    poller.close();
    sender.close();
    await stopServer(server);
    if (dataDir) removeDir(dataDir);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runSqs();
  if (result.cycle.messagesPerSecond < CYCLE_TARGET) console.log(`MISS: cycle below ${CYCLE_TARGET} messages/s`);
  if (result.wakeup.p50 >= WAKEUP_TARGET_MS) console.log(`MISS: wake-up p50 not under ${WAKEUP_TARGET_MS} ms`);
}
