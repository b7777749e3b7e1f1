import { lazyModel } from '../edge/api-model.js';
import type { QueryService } from '../edge/query-protocol.js';
import { GetCallerIdentity } from './operations/GetCallerIdentity.js';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** STS over the Query protocol (signing name `sts`): only GetCallerIdentity, which tools call to learn the account. */
const stsModel = lazyModel('sts');

export function createSts(): QueryService {
  return {
    get model() {
      return stsModel();
    },
    apiVersion: '2011-06-15',
    xmlNamespace: STS_NAMESPACE,
    signingName: 'sts',
    operations: { GetCallerIdentity } as unknown as QueryService['operations'],
  };
}
