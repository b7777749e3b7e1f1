import { AwsError } from '../edge/errors.js';
import type { RequestContext } from '../edge/request-context.js';
import { functionNotFound } from './errors.js';

/** A function as a request names it: a name, a partial ARN or an ARN, maybe with a qualifier. */
export interface FunctionRef {
  account: string;
  region: string;
  name: string;
  /** `$LATEST`, a version number or an alias; undefined when none was given. */
  qualifier?: string;
}

const REF =
  /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:([a-z]{2}(?:(?:-gov)|(?:-iso[a-z]?))?-[a-z]+-\d{1}):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9-_.]+)(?::(\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9-_]+))?$/;

/** `arn:aws:lambda:<region>:<account>:function:<name>`. */
export function functionArn(account: string, region: string, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${region}:${account}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}

/**
 * Reads a FunctionName member (the model has already checked its pattern) and
 * the Qualifier member if the operation has one. A function in another region
 * is refused as Lambda refuses it; another account's is not found (Eddy has one).
 */
export function parseFunctionRef(raw: string, ctx: RequestContext, qualifier?: string): FunctionRef {
  const match = REF.exec(raw);
  if (!match) throw functionNotFound(functionArn(ctx.accountId, ctx.region, raw));
  const [, region, account, name, ownQualifier] = match;
  if (region !== undefined && region !== ctx.region) {
    throw new AwsError('ResourceNotFoundException', `Functions from '${region}' are not reachable in this region ('${ctx.region}')`, 404);
  }
  if (qualifier !== undefined && ownQualifier !== undefined && qualifier !== ownQualifier) {
    throw new AwsError('InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.', 400);
  }
  return { account: account ?? ctx.accountId, region: ctx.region, name: name!, qualifier: qualifier ?? ownQualifier };
}

/** The ARN a not-found error names: qualified when the request was. */
export function refArn(ref: FunctionRef): string {
  return functionArn(ref.account, ref.region, ref.name, ref.qualifier);
}
