import { Command, Option } from 'commander';
import { CliError } from './errors.js';

interface LogsOptions {
  endpoint: string;
  follow?: boolean;
}

/** `eddy logs <function>`: a function's recent invocation logs, read from a running Eddy. */
export function logsCommand(): Command {
  return new Command('logs')
    .summary("print a Lambda function's recent logs")
    .description(
      "Print a Lambda function's recent invocation logs (START, console output, END, REPORT), as CloudWatch Logs shows them.\n" +
        'Eddy keeps the last 1000 lines of each function in memory; --follow keeps printing new invocations as they end.',
    )
    .argument('<function>', 'function name or ARN')
    .addOption(new Option('--endpoint <url>', 'the running Eddy').default('http://127.0.0.1:4566').env('EDDY_ENDPOINT'))
    .addOption(new Option('-f, --follow', 'keep printing new invocations until interrupted'))
    .addHelpText('after', '\nExamples:\n  $ eddy logs orders-handler\n  $ eddy logs orders-handler --follow')
    .action(async (name: string, options: LogsOptions) => {
      await logs(name, options);
    });
}

async function logs(name: string, options: LogsOptions): Promise<void> {
  const url = `${options.endpoint.replace(/\/+$/, '')}/_eddy/logs/${encodeURIComponent(name)}${options.follow ? '?follow=1' : ''}`;
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let response: Response;
  try {
    response = await fetch(url, { signal: controller.signal });
  } catch (error) {
    if (controller.signal.aborted) return;
    throw new CliError(`cannot reach Eddy at ${options.endpoint}: ${(error as Error).message}`, 1);
  }
  if (!response.ok || !response.body) {
    const text = (await response.text()).trim();
    throw new CliError(response.status === 404 && text !== '' ? text : `Eddy answered ${response.status} ${response.statusText}: ${text}`, 1);
  }
  try {
    for await (const chunk of response.body) {
      await new Promise<void>((resolve) => process.stdout.write(chunk, () => resolve()));
    }
  } catch (error) {
    if (!controller.signal.aborted) throw new CliError(`the log stream broke: ${(error as Error).message}`, 1);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
