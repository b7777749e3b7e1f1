import { AwsError } from '../edge/errors.js';

/**
 * Lambda's errors. The REST-JSON codec writes them with the status of the
 * model's error shape and `{"Type": "User", "message"|"Message": ...}`.
 */
export const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterValueException', message, 400);

/** "Function not found: arn:aws:lambda:us-east-1:000000000000:function:name" (404). */
export const functionNotFound = (arn: string): AwsError => new AwsError('ResourceNotFoundException', `Function not found: ${arn}`, 404);

/** "Function already exist: name" (409); AWS's wording, singular "exist" included. */
export const functionAlreadyExists = (name: string): AwsError => new AwsError('ResourceConflictException', `Function already exist: ${name}`, 409);

export const preconditionFailed = (): AwsError =>
  new AwsError(
    'PreconditionFailedException',
    'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    412,
  );

/** What Lambda answers an invocation beyond a concurrency limit: 429 with the throttle reason. */
export const throttled = (reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded'): AwsError =>
  new AwsError('TooManyRequestsException', 'Rate Exceeded.', 429, { Reason: reason });

/**
 * A parameter Eddy does not simulate. Eddy refuses it instead of accepting and
 * ignoring it, naming what is refused.
 */
export const notSupported = (what: string): AwsError => invalidParameter(`Eddy does not support ${what} yet (see docs/lambda.md).`);
