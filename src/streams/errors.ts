import { AwsError } from '../edge/errors.js';

export const streamNotFound = (arn: string): AwsError =>
  new AwsError('ResourceNotFoundException', `Requested resource not found: Stream: ${arn} not found`);

/** Unverified wording: AWS documents the condition, not the text. */
export const shardNotFound = (shardId: string, arn: string): AwsError =>
  new AwsError('ResourceNotFoundException', `Requested resource not found: Shard: ${shardId} in Stream: ${arn} not found`);
