// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the
// most self time, the functions with the most total (inclusive) time, and self
// time by file. Percentages are of busy samples (everything but "(idle)").
// A window (fromUs..toUs, CLOCK_MONOTONIC µs like the profile's own timestamps)
// keeps only the samples of one phase; given `ops`, times are also shown per op.
//
//   node bench/cpuprofile-summary.mjs <file.cpuprofile> [--top 10]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './lib.mjs';

function where(url) {
  if (!url) return '';
  let path = url;
  if (url.startsWith('file://')) path = relative(ROOT, fileURLToPath(url));
  return path.replace(/^node_modules\//, 'nm:');
}

function label(frame) {
  const file = where(frame.url);
  const name = frame.functionName || (file ? '(anonymous)' : '(native)');
  return file ? `${name} ${file}:${frame.lineNumber + 1}` : name;
}

/** Groups files into the layers the lead will recognise. */
function layer(frame) {
  const url = frame.url ?? '';
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native / V8 builtins)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0] === 'internal' ? url.slice(5).split('/').slice(0, 2).join('/') : url.slice(5)}`;
  return where(url);
}

export function summarise(profile, { top = 10, fromUs = -Infinity, toUs = Infinity, ops } = {}) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const hits = new Map();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let at = profile.startTime;
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < samples.length; i++) {
    at += deltas[i] ?? 0;
    if (at < fromUs || at > toUs) continue;
    first = Math.min(first, at);
    last = Math.max(last, at);
    hits.set(samples[i], (hits.get(samples[i]) ?? 0) + 1);
  }
  // Fall back on hitCount for profiles without a samples array.
  if (samples.length === 0) for (const node of profile.nodes) hits.set(node.id, node.hitCount ?? 0);

  let total = 0;
  let idle = 0;
  for (const [id, count] of hits) {
    total += count;
    if (byId.get(id).callFrame.functionName === '(idle)') idle += count;
  }
  const busy = total - idle;
  const spanUs = samples.length === 0 ? profile.endTime - profile.startTime : last - first;
  const intervalUs = spanUs / Math.max(1, total - 1);

  const self = new Map();
  const files = new Map();
  for (const [id, count] of hits) {
    const frame = byId.get(id).callFrame;
    if (frame.functionName === '(idle)') continue;
    const key = label(frame);
    self.set(key, (self.get(key) ?? 0) + count);
    const group = layer(frame);
    files.set(group, (files.get(group) ?? 0) + count);
  }

  // Inclusive time: each sample counts once for every distinct function on its stack.
  const inclusive = new Map();
  const subtree = new Map();
  const subtreeHits = (node) => {
    let sum = hits.get(node.id) ?? 0;
    for (const child of node.children ?? []) sum += subtreeHits(byId.get(child));
    subtree.set(node.id, sum);
    return sum;
  };
  const root = profile.nodes[0];
  subtreeHits(root);
  const walk = (node, onStack) => {
    const key = label(node.callFrame);
    const fresh = !onStack.has(key);
    if (fresh) {
      inclusive.set(key, (inclusive.get(key) ?? 0) + subtree.get(node.id));
      onStack.add(key);
    }
    for (const child of node.children ?? []) walk(byId.get(child), onStack);
    if (fresh) onStack.delete(key);
  };
  walk(root, new Set());
  for (const name of ['(root)', '(idle)']) inclusive.delete(name);

  const rank = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, count]) => ({ name, percent: (100 * count) / busy, ms: (count * intervalUs) / 1e3, usPerOp: ops ? (count * intervalUs) / ops : undefined }));
  return {
    ops,
    intervalUs,
    samples: total,
    busySamples: busy,
    busyMs: (busy * intervalUs) / 1e3,
    idlePercent: (100 * idle) / Math.max(1, total),
    selfTop: rank(self),
    inclusiveTop: rank(inclusive),
    byFile: rank(files),
  };
}

export function formatSummary(summary, title = 'profile') {
  const perOp = summary.ops ? `, ${((summary.busyMs * 1e3) / summary.ops).toFixed(1)} µs busy per op over ${summary.ops} ops` : '';
  const lines = [
    `${title}: ${summary.busySamples} busy samples of ~${summary.intervalUs.toFixed(0)} µs (${summary.busyMs.toFixed(0)} ms${perOp}), idle ${summary.idlePercent.toFixed(1)}% of all samples`,
  ];
  const section = (heading, rows) => {
    lines.push('', heading);
    rows.forEach((row, i) =>
      lines.push(`${String(i + 1).padStart(3)}. ${row.percent.toFixed(1).padStart(5)}%${row.usPerOp === undefined ? '' : `  ${row.usPerOp.toFixed(1).padStart(6)} µs/op`}  ${row.name}`),
    );
  };
  section('Top self time (% of busy samples):', summary.selfTop);
  section('Top total time, callees included (% of busy samples):', summary.inclusiveTop);
  section('Self time by file / layer:', summary.byFile);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node bench/cpuprofile-summary.mjs <file.cpuprofile> [--top N]');
    process.exit(2);
  }
  const topFlag = process.argv.indexOf('--top');
  const top = topFlag > 0 ? Number(process.argv[topFlag + 1]) : 10;
  console.log(formatSummary(summarise(JSON.parse(readFileSync(file, 'utf8')), { top }), file));
}
