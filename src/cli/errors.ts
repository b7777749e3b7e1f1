/**
 * A failure the CLI reports as one line on stderr (`eddy: <message>`) before
 * exiting with `exitCode`: 1 for runtime failures (port in use, unreadable
 * database). Usage errors go through commander instead and exit with 2.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
