/**
 * The Lambda API model requests are routed and validated against: botocore's
 * model with the limits Lambda enforces that the published model does not
 * carry (it leaves Timeout unbounded above and lets MemorySize reach 32768 for
 * capacity-provider functions, which Eddy does not simulate).
 */
import raw from '../models/lambda.json' with { type: 'json' };
import type { ApiModel } from '../edge/api-model.js';

/** Lambda's documented quotas: a function runs at most 900 seconds, with at most 10,240 MB. */
const AWS_MAX_VALUE: Record<string, number> = {
  Timeout: 900,
  MemorySize: 10240,
};

function lambdaModel(): ApiModel {
  const model = structuredClone(raw) as unknown as ApiModel;
  for (const [name, max] of Object.entries(AWS_MAX_VALUE)) {
    const shape = model.shapes[name];
    if (shape) shape.max = max;
  }
  return model;
}

export const LAMBDA_MODEL: ApiModel = lambdaModel();
