import { AwsError } from '../edge/errors.js';

/** SNS's own error for a bad or missing parameter: always "Invalid parameter: ...". */
export const invalidParameter = (detail: string): AwsError => new AwsError('InvalidParameter', `Invalid parameter: ${detail}`, 400);

export const topicNotFound = (): AwsError => new AwsError('NotFound', 'Topic does not exist', 404);

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** `arn:aws:sns:us-east-1:000000000000:name` into its parts, or undefined when it has fewer than six. */
export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, account, ...resource] = parts as [string, string, string, string, string, ...string[]];
  return { partition, service, region, account, resource: resource.join(':') };
}

/**
 * Checks a topic ARN as SNS does before looking the topic up: an ARN of at
 * least six elements ("Invalid parameter: TopicArn Reason: An ARN must have
 * at least 6 elements, not 1"), of SNS, in the caller's region.
 */
export function checkTopicArn(arn: string | undefined, region: string, name = 'TopicArn'): ParsedArn {
  const text = arn ?? '';
  const parsed = parseArn(text);
  if (!parsed) throw invalidParameter(`${name} Reason: An ARN must have at least 6 elements, not ${text.split(':').length}`);
  if (parsed.service !== 'sns' || parsed.region !== region || parsed.resource.includes(':')) throw invalidParameter(name);
  return parsed;
}

export const topicArnOf = (region: string, account: string, name: string): string => `arn:aws:sns:${region}:${account}:${name}`;
