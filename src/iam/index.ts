import type { Clock } from '../clock.js';
import { lazyModel } from '../edge/api-model.js';
import type { QueryService } from '../edge/query-protocol.js';
import type { Db } from '../store/database.js';
import type { IamContext } from './context.js';
import { AttachRolePolicy } from './operations/AttachRolePolicy.js';
import { CreateRole } from './operations/CreateRole.js';
import { DeleteRole } from './operations/DeleteRole.js';
import { DeleteRolePermissionsBoundary } from './operations/DeleteRolePermissionsBoundary.js';
import { DeleteRolePolicy } from './operations/DeleteRolePolicy.js';
import { DetachRolePolicy } from './operations/DetachRolePolicy.js';
import { GetRole } from './operations/GetRole.js';
import { GetRolePolicy } from './operations/GetRolePolicy.js';
import { ListAttachedRolePolicies } from './operations/ListAttachedRolePolicies.js';
import { ListInstanceProfilesForRole } from './operations/ListInstanceProfilesForRole.js';
import { ListRolePolicies } from './operations/ListRolePolicies.js';
import { ListRoleTags } from './operations/ListRoleTags.js';
import { ListRoles } from './operations/ListRoles.js';
import { PutRolePermissionsBoundary } from './operations/PutRolePermissionsBoundary.js';
import { PutRolePolicy } from './operations/PutRolePolicy.js';
import { TagRole } from './operations/TagRole.js';
import { UntagRole } from './operations/UntagRole.js';
import { UpdateAssumeRolePolicy } from './operations/UpdateAssumeRolePolicy.js';
import { UpdateRole } from './operations/UpdateRole.js';
import { UpdateRoleDescription } from './operations/UpdateRoleDescription.js';
import { RoleStore } from './role-store.js';

export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

/**
 * IAM roles over the Query protocol (signing name `iam`; IAM is global, so
 * clients sign for us-east-1). Roles and their policies are stored in SQLite
 * and answered as IAM does; Eddy never evaluates a policy (docs/iam.md).
 */
const iamModel = lazyModel('iam');

export function createIam(db: Db, clock: Clock): QueryService {
  const contextPrototype: Pick<IamContext, 'store' | 'clock'> = { store: new RoleStore(db), clock };
  return {
    get model() {
      return iamModel();
    },
    apiVersion: '2010-05-08',
    xmlNamespace: IAM_NAMESPACE,
    signingName: 'iam',
    contextPrototype,
    operations: {
      CreateRole,
      GetRole,
      ListRoles,
      DeleteRole,
      UpdateRole,
      UpdateRoleDescription,
      PutRolePermissionsBoundary,
      DeleteRolePermissionsBoundary,
      UpdateAssumeRolePolicy,
      TagRole,
      UntagRole,
      ListRoleTags,
      PutRolePolicy,
      GetRolePolicy,
      DeleteRolePolicy,
      ListRolePolicies,
      AttachRolePolicy,
      DetachRolePolicy,
      ListAttachedRolePolicies,
      ListInstanceProfilesForRole,
    } as unknown as QueryService['operations'],
  };
}
