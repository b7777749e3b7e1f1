/**
 * An invocation's log as CloudWatch Logs shows it for a Lambda function: the
 * INIT output on a cold start, then START, the function's console lines, what
 * the platform adds (timeouts, runtime exits), END and REPORT.
 */
export interface InvocationLogParts {
  requestId: string;
  memoryMB: number;
  logs: string;
  initLogs?: string;
  initDurationMs?: number;
  durationMs: number;
  memoryUsedMB: number;
  timedOut?: boolean;
  platformLines: string[];
}

/** What `X-Amz-Log-Type: Tail` returns: at most this many bytes from the end of the log. */
export const LOG_TAIL_BYTES = 4096;

export function invocationLog(parts: InvocationLogParts): string {
  const duration = Math.max(parts.durationMs, 0.01);
  const report = [
    `REPORT RequestId: ${parts.requestId}`,
    `Duration: ${duration.toFixed(2)} ms`,
    `Billed Duration: ${Math.ceil(duration + (parts.initDurationMs ?? 0))} ms`,
    `Memory Size: ${parts.memoryMB} MB`,
    `Max Memory Used: ${Math.max(parts.memoryUsedMB, 1)} MB`,
  ];
  if (parts.initDurationMs !== undefined) report.push(`Init Duration: ${parts.initDurationMs.toFixed(2)} ms`);
  if (parts.timedOut) report.push('Status: timeout');
  return (
    (parts.initLogs ?? '') +
    `START RequestId: ${parts.requestId} Version: $LATEST\n` +
    parts.logs +
    parts.platformLines.join('') +
    `END RequestId: ${parts.requestId}\n` +
    `${report.join('\t')}\t\n`
  );
}

/** The last 4 KB of a log, base64-encoded, as X-Amz-Log-Result carries it. */
export function logTail(log: string): string {
  const bytes = Buffer.from(log, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES)).toString('base64');
}
