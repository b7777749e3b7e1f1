// In-process dispatch to Node workers (part of the `lambda` suite, bench/lambda.mjs):
// an Eddy created in this process (createEddy from dist/eddy.js, in memory), one
// Node function created through Eddy's own HTTP API, then `eddy.lambda.invoke`
// called directly, without HTTP: a warm-up, then the measured invocations at the
// given concurrency. Prints one JSON line on stdout with the figures.
//
//   node bench/lambda-dispatch.mjs [count] [concurrency] [warmup]     (needs a build)
//
// The parent (bench/lambda.mjs) reads this process's CPU time from /proc; this
// script reports its own wall clock, latency percentiles and process.cpuUsage()
// (all threads: the worker threads' CPU counts too).
import { hrtime } from 'node:process';
import { strToU8, zipSync } from 'fflate';
import { createEddy } from '../dist/eddy.js';

const count = Number(process.argv[2] ?? 20_000);
const concurrency = Number(process.argv[3] ?? 64);
const warmup = Number(process.argv[4] ?? 4_000);
const NAME = 'bench-dispatch';
const AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00';

const eddy = createEddy({ inMemory: true, port: 0 });
const url = await eddy.listen();
try {
  const zip = zipSync({ 'index.mjs': strToU8('export const handler = async (event) => ({ ok: true, n: event.n });\n') });
  const created = await fetch(`${url}/2015-03-31/functions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: AUTHORIZATION },
    body: JSON.stringify({
      FunctionName: NAME,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/bench',
      Code: { ZipFile: Buffer.from(zip).toString('base64') },
    }),
  });
  if (created.status !== 201) throw new Error(`CreateFunction answered ${created.status}: ${await created.text()}`);

  const payloads = Array.from({ length: 1024 }, (_, n) => JSON.stringify({ n }));
  const run = async (total) => {
    const latencies = new Float64Array(total);
    let next = 0;
    let errors = 0;
    let sample;
    const loop = async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const started = hrtime.bigint();
        try {
          const result = await eddy.lambda.invoke({ functionName: NAME, payload: payloads[i & 1023] });
          if (result.statusCode !== 200 || result.functionError) {
            errors++;
            sample ??= `${result.statusCode} ${result.functionError ?? ''} ${result.payload.toString('utf8').slice(0, 200)}`;
          }
        } catch (error) {
          errors++;
          sample ??= `thrown: ${error.message}`;
        }
        latencies[i] = Number(hrtime.bigint() - started) / 1e3;
      }
    };
    const cpuBefore = process.cpuUsage();
    const wallBefore = hrtime.bigint();
    await Promise.all(Array.from({ length: Math.min(concurrency, total) }, loop));
    const wallMs = Number(hrtime.bigint() - wallBefore) / 1e6;
    const cpu = process.cpuUsage(cpuBefore);
    latencies.sort();
    const percentile = (p) => latencies[Math.min(total - 1, Math.max(0, Math.ceil(p * total) - 1))] / 1e3;
    return {
      count: total,
      concurrency,
      errors,
      errorSample: sample,
      wallMs,
      perSec: total / (wallMs / 1e3),
      p50Ms: percentile(0.5),
      p99Ms: percentile(0.99),
      cpuUsPerInvoke: (cpu.user + cpu.system) / total,
    };
  };

  const warm = await run(warmup);
  const measured = await run(count);
  process.stdout.write(`${JSON.stringify({ warm, measured, workers: eddy.lambda.workerCount })}\n`);
} finally {
  await eddy.close();
}
