import raw from '../models/sqs.json' with { type: 'json' };
import type { ApiModel } from '../edge/api-model.js';
import { configureValidation } from '../edge/request-validation.js';
import { missingParameter, sqsError } from './errors.js';

/**
 * The SQS model as the edge validates with it. The attribute-name enums are
 * dropped: ReceiveMessage's AttributeNames takes message attribute names the
 * QueueAttributeName enum lacks (ApproximateReceiveCount, ...), and SQS
 * answers unknown names with its own InvalidAttributeName, which the
 * operations check. What remains are required members, answered the SQS way.
 */
export const SQS_MODEL: ApiModel = (() => {
  const model = structuredClone(raw) as unknown as ApiModel;
  for (const name of ['QueueAttributeName', 'MessageSystemAttributeName', 'MessageSystemAttributeNameForSends']) delete model.shapes[name]!.enum;
  const report: NonNullable<Parameters<typeof configureValidation>[1]['report']> = {};
  for (const operation of Object.values(model.operations)) {
    if (!operation.input) continue;
    report[operation.input.shape] = (violations) => {
      const first = violations[0]!;
      return first.kind === 'required' ? missingParameter(first.member) : sqsError('InvalidParameterValue', first.text);
    };
  }
  configureValidation(model, { report });
  return model;
})();
