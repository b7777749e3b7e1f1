import type { QueryRequestContext } from '../../edge/query-protocol.js';

/**
 * Eddy does not verify signatures, so every caller is the account's root
 * user, whose UserId is the account id (as STS answers for root credentials).
 */
export function GetCallerIdentity(_input: object, ctx: QueryRequestContext): { UserId: string; Account: string; Arn: string } {
  return { UserId: ctx.accountId, Account: ctx.accountId, Arn: `arn:aws:iam::${ctx.accountId}:root` };
}
