/**
 * What one invocation's result means for the batch (pure). The rules are
 * Lambda's for stream sources with FunctionResponseTypes
 * ["ReportBatchItemFailures"]:
 * - success: a null or empty response, or a null or empty batchItemFailures;
 * - partial: the records from the lowest failed sequence number on failed;
 * - failure: a function error, or an itemIdentifier that is null, empty, not
 *   a record of the batch, or missing (a wrong key name).
 * Without ReportBatchItemFailures, anything but a function error is success.
 * With a tumbling window the response must carry `state`.
 */
export type BatchOutcome =
  | { kind: 'success'; state?: unknown }
  | { kind: 'partial'; index: number; state?: unknown }
  | { kind: 'failure'; functionError: boolean };

export function batchOutcome(input: {
  functionError: boolean;
  payload: string;
  reportBatchItemFailures: boolean;
  /** The batch's sequence numbers, in order. */
  sequenceNumbers: readonly string[];
  tumblingWindow: boolean;
}): BatchOutcome {
  if (input.functionError) return { kind: 'failure', functionError: true };
  let response: unknown;
  try {
    response = input.payload.trim() === '' ? null : JSON.parse(input.payload);
  } catch {
    response = undefined;
  }
  const object = typeof response === 'object' && response !== null && !Array.isArray(response) ? (response as Record<string, unknown>) : undefined;
  let state: unknown;
  if (input.tumblingWindow) {
    if (!object || !('state' in object) || object.state === null || object.state === undefined) return { kind: 'failure', functionError: false };
    state = object.state;
  }
  const withState = input.tumblingWindow ? { state } : {};
  if (!input.reportBatchItemFailures || !object) return { kind: 'success', ...withState };
  const failures = object.batchItemFailures;
  if (failures === null || failures === undefined) return { kind: 'success', ...withState };
  if (!Array.isArray(failures)) return { kind: 'failure', functionError: false };
  if (failures.length === 0) return { kind: 'success', ...withState };
  let lowest = Infinity;
  for (const failure of failures) {
    const id = typeof failure === 'object' && failure !== null ? (failure as Record<string, unknown>).itemIdentifier : undefined;
    const index = typeof id === 'string' && id !== '' ? input.sequenceNumbers.indexOf(id) : -1;
    if (index < 0) return { kind: 'failure', functionError: false };
    lowest = Math.min(lowest, index);
  }
  return { kind: 'partial', index: lowest, ...withState };
}
