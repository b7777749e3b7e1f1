import { InvalidArgumentError } from 'commander';

/**
 * Option value parsers shared by the CLI commands. Each throws commander's
 * InvalidArgumentError, which commander reports as a usage error naming the
 * flag or the environment variable the bad value came from (exit code 2).
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function parsePort(value: string): number {
  const port = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('The port must be an integer from 0 to 65535 (0 picks a free port).');
  }
  return port;
}

export function parseHost(value: string): string {
  const host = value.trim();
  if (host === '' || /\s/.test(host)) throw new InvalidArgumentError('The host must be a hostname or an IP address, e.g. 127.0.0.1 or 0.0.0.0.');
  return host;
}

export function parseDataDir(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('The data directory must not be empty.');
  return value;
}

export function parseRegion(value: string): string {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(value)) {
    throw new InvalidArgumentError('The region must be lowercase letters, digits and hyphens, e.g. us-east-1.');
  }
  return value;
}

export function parseAccountId(value: string): string {
  if (!/^\d{12}$/.test(value)) throw new InvalidArgumentError('The account id must be exactly 12 digits, e.g. 000000000000.');
  return value;
}

export function parseNonNegativeInteger(value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('The value must be a whole number of milliseconds, 0 or more.');
  return n;
}

export function parseLogLevel(value: string): LogLevel {
  const level = value.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new InvalidArgumentError(`The log level must be one of ${LOG_LEVELS.join(', ')}.`);
  }
  return level as LogLevel;
}

/** Reads a boolean environment variable: 1/true/yes/on or 0/false/no/off (any case); undefined when unset or empty. */
export function parseBooleanEnv(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new InvalidArgumentError(`${name} must be 1 or true (or 0 or false), not '${value}'.`);
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as `4h`, `30m`, `90s`, `1500ms` or `1d`, in milliseconds (more than zero). */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value.trim());
  const ms = match ? Math.round(Number(match[1]) * DURATION_UNITS[match[2]!]!) : Number.NaN;
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new InvalidArgumentError('The value must be a duration such as 4h, 30m, 90s or 1500ms.');
  return ms;
}

/** A whole number from `min` to `max`. */
export function integerBetween(min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`The value must be a whole number from ${min} to ${max}.`);
    return n;
  };
}
