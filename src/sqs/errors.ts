import { AwsError } from '../edge/errors.js';

/**
 * SQS speaks two protocols and names each error twice: the JSON protocol's
 * shape name (`QueueDoesNotExist`, in `__type`) and the Query protocol's code
 * (`AWS.SimpleQueueService.NonExistentQueue`), which JSON answers also carry in
 * the `x-amzn-query-error: <code>;Sender` header (SDK v3 and botocore map
 * errors by it: the model is `awsQueryCompatible`). Codes and statuses are the
 * `awsQueryError` traits of AWS's Smithy model for SQS (as shipped in
 * @aws-sdk/client-sqs); errors outside the model (InvalidParameterValue,
 * MissingParameter, ...) are the coral framework's, `__type`
 * `com.amazon.coral.service#<Code>Exception`.
 */
const MODELED: Record<string, { query: string; status: number }> = {
  BatchEntryIdsNotDistinct: { query: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', status: 400 },
  BatchRequestTooLong: { query: 'AWS.SimpleQueueService.BatchRequestTooLong', status: 400 },
  EmptyBatchRequest: { query: 'AWS.SimpleQueueService.EmptyBatchRequest', status: 400 },
  InvalidAttributeName: { query: 'InvalidAttributeName', status: 400 },
  InvalidAttributeValue: { query: 'InvalidAttributeValue', status: 400 },
  InvalidBatchEntryId: { query: 'AWS.SimpleQueueService.InvalidBatchEntryId', status: 400 },
  InvalidMessageContents: { query: 'InvalidMessageContents', status: 400 },
  MessageNotInflight: { query: 'AWS.SimpleQueueService.MessageNotInflight', status: 400 },
  OverLimit: { query: 'OverLimit', status: 403 },
  PurgeQueueInProgress: { query: 'AWS.SimpleQueueService.PurgeQueueInProgress', status: 403 },
  QueueDeletedRecently: { query: 'AWS.SimpleQueueService.QueueDeletedRecently', status: 400 },
  QueueDoesNotExist: { query: 'AWS.SimpleQueueService.NonExistentQueue', status: 400 },
  QueueNameExists: { query: 'QueueAlreadyExists', status: 400 },
  ReceiptHandleIsInvalid: { query: 'ReceiptHandleIsInvalid', status: 404 },
  ResourceNotFoundException: { query: 'ResourceNotFoundException', status: 404 },
  TooManyEntriesInBatchRequest: { query: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', status: 400 },
  UnsupportedOperation: { query: 'AWS.SimpleQueueService.UnsupportedOperation', status: 400 },
};

/** Errors of the protocol layer: the same code in both protocols. */
const FRAMEWORK_STATUS: Record<string, number> = {
  InvalidParameterValue: 400,
  MissingParameter: 400,
  InvalidAction: 400,
  UnknownOperationException: 400,
  SerializationException: 400,
  ValidationException: 400,
  MissingAuthenticationTokenException: 403,
  InternalServerError: 500,
  InternalFailure: 500,
};

/** An SQS error by its JSON (shape) name, with the status AWS sends it with. */
export function sqsError(code: string, message: string): AwsError {
  return new AwsError(code, message, MODELED[code]?.status ?? FRAMEWORK_STATUS[code] ?? 400);
}

/** The `__type` of a JSON answer. */
export function sqsErrorType(code: string): string {
  if (MODELED[code]) return `com.amazonaws.sqs#${code}`;
  if (code === 'ValidationException') return 'com.amazon.coral.validate#ValidationException';
  if (code.endsWith('Exception')) return `com.amazon.coral.service#${code}`;
  return `com.amazon.coral.service#${code}Exception`;
}

/** The Query protocol's code (also the JSON `x-amzn-query-error` header's first half). */
export function sqsQueryCode(code: string): string {
  if (code === 'InternalServerError') return 'InternalError';
  return MODELED[code]?.query ?? code;
}

/** `Sender` for the caller's mistakes, `Receiver` for Eddy's. */
export function sqsFaultType(status: number): 'Sender' | 'Receiver' {
  return status >= 500 ? 'Receiver' : 'Sender';
}

export const queueDoesNotExist = (): AwsError => sqsError('QueueDoesNotExist', 'The specified queue does not exist.');

export const missingParameter = (name: string): AwsError => sqsError('MissingParameter', `The request must contain the parameter ${name}.`);

/** "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided." */
export const invalidParameter = (name: string, value: unknown, reason?: string): AwsError =>
  sqsError('InvalidParameterValue', `Value ${String(value)} for parameter ${name} is invalid.${reason ? ` Reason: ${reason}` : ''}`);

export const invalidAttributeValue = (name: string): AwsError => sqsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`);

export const unknownAttribute = (name: string): AwsError => sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);

export const receiptHandleInvalid = (handle: string): AwsError =>
  sqsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);

export const notValidForQueueType = (name: string, value: unknown): AwsError =>
  invalidParameter(name, value, 'The request include parameter that is not valid for this queue type.');
