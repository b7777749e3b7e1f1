// SNS (issue 6): Publish fanned out to three SQS queues, publishes per second.
// See bench/README.md. Runs on its own (needs a build):
//
//   node bench/sns.mjs
//
// A fresh Eddy on disk; one topic with three SQS subscriptions (the guide's
// fan-out: two take everything, one has the guide's {"eventName": ["INSERT",
// "MODIFY"]} filter policy). A lean keep-alive client (no SDK, no signing cost,
// no XML parsing) sends BENCH_SNS_PUBLISHES Query-protocol Publish requests
// with an eventName attribute cycling INSERT/MODIFY/REMOVE, BENCH_CONCURRENCY
// at a time, after a warm-up. Reported: publishes/s on the client's wall clock,
// Eddy's CPU per publish, and the messages each queue holds afterwards (checked
// against what the filter lets through). Two variants: the JSON envelope, and
// raw delivery. Target: ≥ 2,000 publishes/s. For scale on a shared machine, the
// same client then runs as many DynamoDB PutItem (100-byte items) on the same
// Eddy: the figure docs/performance.md's baseline suite reports when quiet.
//
// Environment (all optional): BENCH_SNS_PUBLISHES=20000, BENCH_SNS_WARMUP=2000,
// BENCH_CONCURRENCY=32, BENCH_PIN=1 (Eddy on CPU 1), BENCH_SNS_PROFILE=<dir>
// (Eddy under --cpu-prof; summarise with bench/cpuprofile-summary.mjs).
import { Agent, request } from 'node:http';
import { hrtime } from 'node:process';
import { fileURLToPath } from 'node:url';
import { intEnv, pinToCpu, processCpu, removeDir, sleep, startEddy, stopServer, tempDataDir } from './lib.mjs';

const TARGET = 2_000;
const SIGNED = (service) => `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;
const EVENTS = ['INSERT', 'MODIFY', 'REMOVE'];

export function snsConfig() {
  return {
    publishes: intEnv('BENCH_SNS_PUBLISHES', 20_000),
    warmup: intEnv('BENCH_SNS_WARMUP', 2_000),
    concurrency: intEnv('BENCH_CONCURRENCY', 32),
    pin: intEnv('BENCH_PIN', 0) === 1,
    profileDir: process.env.BENCH_SNS_PROFILE || undefined,
  };
}

function client(port, maxSockets) {
  const agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  const send = (headers, body) =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent, headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    sns: (params) => send({ 'Content-Type': 'application/x-www-form-urlencoded', Authorization: SIGNED('sns') }, new URLSearchParams({ Version: '2010-03-31', ...params }).toString()),
    ddb: (operation, input) =>
      send({ 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `DynamoDB_20120810.${operation}`, Authorization: SIGNED('dynamodb') }, JSON.stringify(input)),
    sqs: (operation, input) =>
      send({ 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AmazonSQS.${operation}`, Authorization: SIGNED('sqs') }, JSON.stringify(input)).then((r) => {
        if (r.status !== 200) throw new Error(`${operation}: ${r.status} ${r.text}`);
        return JSON.parse(r.text);
      }),
    close: () => agent.destroy(),
  };
}

const ok = (response, what) => {
  if (response.status !== 200) throw new Error(`${what}: ${response.status} ${response.text}`);
  return response.text;
};

/** A topic named `name` with three queue subscriptions (the third filtered); returns the topic ARN and queue URLs. */
async function fanOut(c, name, raw) {
  const topicArn = /<TopicArn>(.*)<\/TopicArn>/.exec(ok(await c.sns({ Action: 'CreateTopic', Name: name }), 'CreateTopic'))[1];
  const queues = [];
  for (const [i, policy] of [undefined, undefined, JSON.stringify({ eventName: ['INSERT', 'MODIFY'] })].entries()) {
    const { QueueUrl } = await c.sqs('CreateQueue', { QueueName: `${name}-q${i}` });
    const { Attributes } = await c.sqs('GetQueueAttributes', { QueueUrl, AttributeNames: ['QueueArn'] });
    const attributes = [];
    if (raw) attributes.push(['RawMessageDelivery', 'true']);
    if (policy) attributes.push(['FilterPolicy', policy]);
    const params = { Action: 'Subscribe', TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes.QueueArn };
    attributes.forEach(([key, value], j) => Object.assign(params, { [`Attributes.entry.${j + 1}.key`]: key, [`Attributes.entry.${j + 1}.value`]: value }));
    ok(await c.sns(params), 'Subscribe');
    queues.push({ url: QueueUrl, filtered: policy !== undefined });
  }
  return { topicArn, queues };
}

async function publishMany(c, topicArn, count, concurrency, offset) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const eventName = EVENTS[(offset + i) % 3];
      ok(
        await c.sns({
          Action: 'Publish',
          TopicArn: topicArn,
          Message: JSON.stringify({ eventName, sequenceNumber: String(offset + i), keys: { pk: { S: `order-${offset + i}` } } }),
          'MessageAttributes.entry.1.Name': 'eventName',
          'MessageAttributes.entry.1.Value.DataType': 'String',
          'MessageAttributes.entry.1.Value.StringValue': eventName,
        }),
        'Publish',
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** DynamoDB PutItem at the same concurrency and count on the same Eddy: how busy the machine is right now. */
async function putItemReference(c, pid, config) {
  const TableName = 'sns_bench_reference';
  const table = { TableName, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' };
  if ((await c.ddb('CreateTable', table)).status !== 200) throw new Error('CreateTable failed');
  const put = (i) => c.ddb('PutItem', { TableName, Item: { pk: { S: `k${i}` }, v: { S: 'x'.repeat(100) } } });
  // The table answers once ACTIVE.
  while ((await put(-1)).status !== 200) await sleep(50);
  let next = 0;
  const cpuBefore = processCpu(pid);
  const started = hrtime.bigint();
  await Promise.all(
    Array.from({ length: config.concurrency }, async () => {
      while (next < config.publishes) {
        const response = await put(next++);
        if (response.status !== 200) throw new Error(`PutItem: ${response.status} ${response.text}`);
      }
    }),
  );
  const seconds = Number(hrtime.bigint() - started) / 1e9;
  const cpuAfter = processCpu(pid);
  return {
    opsPerSecond: Math.round(config.publishes / seconds),
    cpuMicrosPerOp: Math.round((cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / config.publishes),
  };
}

export async function runSns(config = snsConfig(), log = console.log) {
  const results = [];
  for (const raw of [false, true]) {
    const dataDir = tempDataDir();
    const server = await startEddy({ dataDir, nodeFlags: config.profileDir ? ['--cpu-prof', '--cpu-prof-dir', config.profileDir] : [] });
    const c = client(server.port, config.concurrency);
    try {
      if (config.pin) pinToCpu(server.pid, 1);
      await sleep(300);
      const { topicArn, queues } = await fanOut(c, raw ? 'fanout-raw' : 'fanout', raw);
      await publishMany(c, topicArn, config.warmup, config.concurrency, 0);
      const cpuBefore = processCpu(server.pid);
      const started = hrtime.bigint();
      await publishMany(c, topicArn, config.publishes, config.concurrency, config.warmup);
      const seconds = Number(hrtime.bigint() - started) / 1e9;
      const cpuAfter = processCpu(server.pid);
      const cpuMicros = cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system;
      const total = config.warmup + config.publishes;
      const expectedFiltered = Array.from({ length: total }, (_, i) => EVENTS[i % 3]).filter((e) => e !== 'REMOVE').length;
      const depths = [];
      for (const q of queues) {
        const { Attributes } = await c.sqs('GetQueueAttributes', { QueueUrl: q.url, AttributeNames: ['ApproximateNumberOfMessages'] });
        const depth = Number(Attributes.ApproximateNumberOfMessages);
        const expected = q.filtered ? expectedFiltered : total;
        if (depth !== expected) throw new Error(`queue ${q.url} holds ${depth} messages, expected ${expected}`);
        depths.push(depth);
      }
      const reference = await putItemReference(c, server.pid, config);
      const result = {
        variant: raw ? 'raw delivery' : 'JSON envelope',
        publishesPerSecond: Math.round(config.publishes / seconds),
        cpuMicrosPerPublish: Math.round(cpuMicros / config.publishes),
        depths,
        reference,
      };
      results.push(result);
      log(
        `SNS Publish -> 3 SQS queues (${result.variant}): ${result.publishesPerSecond} publishes/s (target ≥ ${TARGET}), ` +
          `${result.cpuMicrosPerPublish} µs Eddy CPU per publish; queue depths ${depths.join(' / ')} ` +
          `(${config.publishes} publishes + ${config.warmup} warm-up, concurrency ${config.concurrency}); ` +
          `for scale, PutItem on the same Eddy now: ${reference.opsPerSecond} ops/s, ${reference.cpuMicrosPerOp} µs CPU per op`,
      );
    } finally {
      c.close();
      await stopServer(server);
      removeDir(dataDir);
    }
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await runSns();
  const misses = results.filter((r) => r.publishesPerSecond < TARGET);
  if (misses.length > 0) console.log(`MISS: ${misses.map((m) => m.variant).join(', ')} below ${TARGET} publishes/s`);
}
