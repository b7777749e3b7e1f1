import { AwsError } from '../../edge/errors.js';
import { invalidParameter, topicArnOf } from '../arns.js';
import type { SnsContext, Tag } from '../context.js';
import { checkNewTags, mergeTags } from '../tags.js';
import { checkTopicAttribute } from '../topic-attributes.js';

interface Input {
  Name: string;
  Attributes?: Record<string, string>;
  Tags?: Tag[];
  DataProtectionPolicy?: string;
}

const NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,256}\.fifo$/;

/** Creates a topic, or returns the one of that name when its attributes and tags agree (CreateTopic is idempotent). */
export function CreateTopic(input: Input, ctx: SnsContext): { TopicArn: string } {
  const requested = input.Attributes ?? {};
  const fifo = (requested.FifoTopic ?? '').toLowerCase() === 'true';
  if (fifo) {
    if (!FIFO_NAME.test(input.Name)) {
      throw new AwsError(
        'InvalidParameter',
        'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.',
      );
    }
  } else if (!NAME.test(input.Name)) {
    throw invalidParameter('Topic Name');
  }
  if (input.DataProtectionPolicy !== undefined) throw invalidParameter('DataProtectionPolicy Reason: Eddy does not simulate data protection policies');

  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(requested)) {
    const checked = checkTopicAttribute(name, value, { fifo }, true);
    // A standard topic does not keep FifoTopic=false.
    if (name === 'FifoTopic' && checked === 'false') continue;
    attributes[name] = checked;
  }
  const tags = input.Tags ?? [];
  checkNewTags(tags);

  const arn = topicArnOf(ctx.region, ctx.accountId, input.Name);
  const existing = ctx.store.topic(arn);
  if (existing) {
    for (const [name, value] of Object.entries(attributes)) {
      if (existing.attributes[name] !== value) throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
    }
    for (const tag of tags) {
      if (!existing.tags.some((t) => t.Key === tag.Key && t.Value === tag.Value)) throw invalidParameter('Tags Reason: Topic already exists with different tags');
    }
    return { TopicArn: arn };
  }
  ctx.store.insertTopic({ arn, account: ctx.accountId, region: ctx.region, name: input.Name, attributes, tags: mergeTags([], tags) });
  return { TopicArn: arn };
}
