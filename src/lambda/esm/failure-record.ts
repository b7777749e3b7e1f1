import { randomUUID } from 'node:crypto';

export type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** The metadata Lambda sends an on-failure destination for a DynamoDB stream batch it gave up on (pure but for the request id). */
export function ddbFailureRecord(input: {
  functionArn: string;
  condition: FailureCondition;
  /** Invocations of this batch (retries + 1); 0 when it expired before any. */
  invokeCount: number;
  /** The last invocation's outcome; undefined when the batch was never invoked. */
  response?: { statusCode: number; executedVersion: string; functionError: string | null };
  nowMs: number;
  shardId: string;
  streamArn: string;
  records: readonly { sequenceNumber: string; createdAt: number }[];
}): string {
  const first = input.records[0]!;
  const last = input.records[input.records.length - 1]!;
  return JSON.stringify({
    requestContext: {
      requestId: randomUUID(),
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.invokeCount,
    },
    // Unverified: what AWS writes for a batch that expired before any invocation; Eddy keeps the shape.
    responseContext: input.response ?? { statusCode: 0, executedVersion: null, functionError: null },
    version: '1.0',
    timestamp: new Date(input.nowMs).toISOString(),
    DDBStreamBatchInfo: {
      shardId: input.shardId,
      startSequenceNumber: first.sequenceNumber,
      endSequenceNumber: last.sequenceNumber,
      approximateArrivalOfFirstRecord: secondsIso(first.createdAt),
      approximateArrivalOfLastRecord: secondsIso(last.createdAt),
      batchSize: input.records.length,
      streamArn: input.streamArn,
    },
  });
}

/** Arrival times have second precision: `2019-11-14T00:13:19Z`. */
function secondsIso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
