import { AwsError } from '../edge/errors.js';

/** The `__type` DynamoDB writes: protocol-level errors come from the coral framework. */
export function dynamoErrorType(code: string): string {
  switch (code) {
    case 'ValidationException':
      return 'com.amazon.coral.validate#ValidationException';
    case 'SerializationException':
    case 'UnknownOperationException':
    case 'MissingAuthenticationTokenException':
    case 'IncompleteSignatureException':
    case 'InvalidSignatureException':
    case 'UnrecognizedClientException':
    case 'AccessDeniedException':
      return `com.amazon.coral.service#${code}`;
    default:
      return `com.amazonaws.dynamodb.v20120810#${code}`;
  }
}

export const tableNotFound = (name: string): AwsError =>
  new AwsError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`);

/** Item operations on a missing (or not yet ACTIVE) table get the short form. */
export const resourceNotFound = (): AwsError => new AwsError('ResourceNotFoundException', 'Requested resource not found');

export const invalidParameters = (detail: string): AwsError =>
  new AwsError('ValidationException', `One or more parameter values were invalid: ${detail}`);

/** Eddy refuses what it does not simulate instead of accepting and ignoring it. */
export const unsupported = (parameter: string): AwsError =>
  new AwsError('ValidationException', `Eddy does not support ${parameter} yet`);
