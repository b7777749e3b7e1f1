import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CliError } from './errors.js';
import { startCommand } from './start.js';
import { logsCommand } from './logs.js';
import { statusCommand } from './status.js';
import { tailCommand } from './tail.js';

/** Exit code for usage errors: unknown or invalid options, contradictory settings. */
export const USAGE_EXIT_CODE = 2;

function packageVersion(): string {
  // Same relative path from src/cli/ and from dist/cli/.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The `eddy` program with every command attached. New commands (tail, logs, status) are one file each, added here. */
export function buildProgram(): Command {
  const program = new Command('eddy')
    .description(
      'Eddy: DynamoDB, DynamoDB Streams, Lambda (with event source mappings), SQS and SNS on one local port, backed by SQLite.\n' +
        'Point any AWS SDK or the AWS CLI at it with endpoint http://127.0.0.1:4566 and any credentials.',
    )
    .version(packageVersion(), '-v, --version', 'print the Eddy version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .showHelpAfterError("(run 'eddy --help' for usage)")
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ eddy start                         # listen on http://127.0.0.1:4566, keep tables in ./.eddy/eddy.db
  $ eddy start --port 0 --in-memory    # a free port, nothing written to disk
  $ eddy start --help                  # every option with its default and environment variable
  $ eddy tail Orders                   # follow the Orders table's stream
  $ eddy status                        # event source mappings with their metrics

Documentation: docs/cli.md`,
    );

  for (const command of [startCommand(), tailCommand(), logsCommand(), statusCommand()]) {
    command.copyInheritedSettings(program).showHelpAfterError(`(run 'eddy ${command.name()} --help' for usage)`);
    program.addCommand(command);
  }
  return program;
}

/**
 * The AWS SDK warns on every start that its 2027 releases will need Node 22.
 * It says nothing about Eddy, and `eddy tail`/`eddy logs` users read stderr,
 * so that one notice is dropped; every other warning still prints.
 */
function silenceSdkNodeVersionNotice(): void {
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: unknown, ...rest: unknown[]) => {
    if (String(warning).startsWith('NodeVersionSupportWarning')) return;
    emitWarning(warning, ...rest);
  }) as typeof process.emitWarning;
}

/** Runs the CLI and exits: 0 after help, version or a clean stop; 1 on a runtime failure; 2 on a usage error. */
export async function run(argv: readonly string[] = process.argv): Promise<void> {
  silenceSdkNodeVersionNotice();
  // `eddy --help | head`, `eddy tail T | head`: a reader that stops reading ends
  // the command quietly, as it does for any Unix tool, instead of an EPIPE stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed the message (or the help text).
      await exit(error.exitCode === 0 ? 0 : USAGE_EXIT_CODE);
    } else if (error instanceof CliError) {
      process.stderr.write(`eddy: ${error.message}\n`);
      await exit(error.exitCode);
    } else {
      process.stderr.write(`eddy: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      await exit(1);
    }
  }
}

/** Exits once stdout and stderr have flushed, so piped output is never cut short. */
async function exit(code: number): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
  process.exit(code);
}
