/**
 * What the mapping control plane asks about event sources and destinations
 * before it accepts a mapping: wired in src/eddy.ts from the services that own
 * them. A member left undefined means that service is not part of this Eddy.
 */
export interface EventSources {
  /** Whether Eddy has this DynamoDB stream (`arn:aws:dynamodb:<region>:<account>:table/<T>/stream/<label>`), in any status. */
  dynamodbStreamExists(arn: string): boolean;
  /** Whether this SQS queue exists (`arn:aws:sqs:<region>:<account>:<name>`). */
  sqsQueueExists?(arn: string): boolean;
}
