import { checkTopicArn } from '../arns.js';
import type { SnsContext } from '../context.js';

/** Deletes a topic and its subscriptions; deleting a topic that does not exist succeeds, as on AWS. */
export function DeleteTopic(input: { TopicArn: string }, ctx: SnsContext): void {
  checkTopicArn(input.TopicArn, ctx.region);
  ctx.store.deleteTopic(input.TopicArn);
}
