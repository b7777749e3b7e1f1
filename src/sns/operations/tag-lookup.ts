import { AwsError } from '../../edge/errors.js';
import { invalidParameter, parseArn } from '../arns.js';
import type { SnsContext } from '../context.js';
import type { TopicRecord } from '../sns-store.js';

/** The topic a tagging call names, or ResourceNotFound "Resource does not exist". */
export function taggedTopic(resourceArn: string, ctx: SnsContext): TopicRecord {
  if (!parseArn(resourceArn)) throw invalidParameter('ResourceArn');
  const topic = ctx.store.topic(resourceArn);
  if (!topic) throw new AwsError('ResourceNotFound', 'Resource does not exist', 404);
  return topic;
}
