import { Command, Option } from 'commander';
import type { MappingStatus } from '../lambda/esm/metrics.js';
import { CliError } from './errors.js';

interface StatusOptions {
  endpoint: string;
  json?: boolean;
}

/** `eddy status`: every event source mapping of a running Eddy with its counters and per-shard lag. */
export function statusCommand(): Command {
  return new Command('status')
    .summary('show event source mappings with their metrics')
    .description(
      'Show every event source mapping of a running Eddy: function, source, state, last processing result,\n' +
        'iterator age, invocations, errors, throttles, records delivered/filtered/failed, on-failure sends,\n' +
        'and under each mapping its shards with their lag. Counters count since Eddy started.\n' +
        'The same figures are served as Prometheus text at /_eddy/metrics.',
    )
    .addOption(new Option('--endpoint <url>', 'the running Eddy').default('http://127.0.0.1:4566').env('EDDY_ENDPOINT'))
    .addOption(new Option('--json', 'print the figures as JSON (what GET /_eddy/metrics?format=json answers)'))
    .addHelpText('after', '\nExamples:\n  $ eddy status\n  $ eddy status --json | jq \'.[].iteratorAgeMs\'')
    .action(async (options: StatusOptions) => {
      const statuses = await fetchStatuses(options.endpoint);
      process.stdout.write(options.json ? `${JSON.stringify(statuses, null, 2)}\n` : formatStatus(statuses));
    });
}

async function fetchStatuses(endpoint: string): Promise<MappingStatus[]> {
  const url = `${endpoint.replace(/\/+$/, '')}/_eddy/metrics?format=json`;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new CliError(`cannot reach Eddy at ${endpoint}: ${(error as Error).message}`, 1);
  }
  const text = await response.text();
  if (!response.ok) throw new CliError(`Eddy answered ${response.status} ${response.statusText}: ${text.trim()}`, 1);
  return (JSON.parse(text) as { mappings: MappingStatus[] }).mappings;
}

/** A source as a person reads it: `dynamodb Orders` for a table's stream, `sqs jobs` for a queue. */
export function sourceName(arn: string): string {
  const [, , service = '', , , ...rest] = arn.split(':');
  const resource = rest.join(':');
  const table = /^table\/([^/]+)\/stream\//.exec(resource);
  if (service === 'dynamodb' && table) return `dynamodb ${table[1]}`;
  return `${service} ${resource}`;
}

const COLUMNS: [string, (s: MappingStatus) => string][] = [
  ['FUNCTION', (s) => s.functionName],
  ['SOURCE', (s) => sourceName(s.eventSourceArn)],
  ['STATE', (s) => s.state],
  ['LAST RESULT', (s) => s.lastProcessingResult],
  ['ITERATOR AGE', (s) => `${s.iteratorAgeMs} ms`],
  ['INVOCATIONS', (s) => String(s.invocations)],
  ['ERRORS', (s) => String(s.errors)],
  ['THROTTLES', (s) => String(s.throttles)],
  ['DELIVERED', (s) => String(s.recordsDelivered)],
  ['FILTERED', (s) => String(s.recordsFiltered)],
  ['FAILED', (s) => String(s.recordsFailed)],
  ['ON-FAILURE', (s) => String(s.onFailureSends)],
];

/**
 * The table `eddy status` prints: one row per mapping (columns padded to
 * their widest cell), then one indented line per shard with its lag.
 */
export function formatStatus(statuses: MappingStatus[]): string {
  if (statuses.length === 0) return 'No event source mappings.\n';
  const rows = statuses.map((s) => COLUMNS.map(([, cell]) => cell(s)));
  const widths = COLUMNS.map(([title], i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  const out = [line(COLUMNS.map(([title]) => title))];
  statuses.forEach((s, i) => {
    out.push(line(rows[i]!));
    for (const shard of s.shards) out.push(`  ${shard.shardId}  lag ${shard.lagRecords} records  iterator age ${shard.iteratorAgeMs} ms`);
  });
  return `${out.join('\n')}\n`;
}
