import type { ApiModel } from '../edge/api-model.js';
import type { QueryService } from '../edge/query-protocol.js';
import stsModel from '../models/sts.json' with { type: 'json' };
import { GetCallerIdentity } from './operations/GetCallerIdentity.js';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** STS over the Query protocol (signing name `sts`): only GetCallerIdentity, which tools call to learn the account. */
export function createSts(): QueryService {
  return {
    model: stsModel as unknown as ApiModel,
    xmlNamespace: STS_NAMESPACE,
    signingName: 'sts',
    operations: { GetCallerIdentity } as unknown as QueryService['operations'],
  };
}
