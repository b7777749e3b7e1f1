/**
 * What the five *EventSourceMapping operations share: resolving the function a
 * request names, finding a mapping by UUID, checking that a source exists, and
 * answering with the mapping as Lambda shows it.
 */
import { AwsError } from '../../edge/errors.js';
import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { invalidParameter, notSupported } from '../errors.js';
import { functionArn, parseFunctionRef } from '../function-name.js';
import type { StoredFunction } from '../function-store.js';
import type { EventSourceKind, EventSourceMapping, MappingState } from './mapping.js';
import { mappingConfiguration, reportedState, type WireMappingConfiguration } from './mapping-configuration.js';

/** Lambda's answer for a UUID it does not know (404). */
export const mappingNotFound = (): AwsError => new AwsError('ResourceNotFoundException', 'The resource you requested does not exist.', 404);

/** The mapping `uuid` of the caller's account and region. */
export function requireMapping(deps: LambdaDeps, uuid: string, ctx: RequestContext): EventSourceMapping {
  const mapping = deps.esm.store.get(uuid);
  if (!mapping || mapping.account !== ctx.accountId || mapping.region !== ctx.region) throw mappingNotFound();
  return mapping;
}

/**
 * The function a Create or Update names (name, ARN or partial ARN). Lambda
 * answers a missing one with InvalidParameterValueException "Function does
 * not exist" here, not the 404 of the functions API. Eddy publishes no
 * versions or aliases, so a qualified name is refused.
 */
export function requireMappingFunction(deps: LambdaDeps, name: string, ctx: RequestContext): StoredFunction {
  const ref = parseFunctionRef(name, ctx);
  if (ref.qualifier !== undefined) throw notSupported(`event source mappings on a function version or alias (${name})`);
  const fn = deps.store.get(ref.account, ref.region, ref.name);
  if (!fn) throw invalidParameter('Function does not exist');
  return fn;
}

/** The unqualified ARN a ListEventSourceMappings FunctionName filter means (the function need not exist). */
export function functionFilterArn(name: string, ctx: RequestContext): string {
  const ref = parseFunctionRef(name, ctx);
  return functionArn(ref.account, ref.region, ref.name, ref.qualifier);
}

/**
 * Refuses a source Eddy does not have, with Lambda's texts: a stream it
 * cannot describe is "Stream not found" (Kinesis is not simulated, so every
 * Kinesis stream is), a queue it cannot read is SQS's NonExistentQueue.
 */
export function requireSource(deps: LambdaDeps, kind: EventSourceKind, arn: string, region: string, account: string, ctx: RequestContext): void {
  const here = region === ctx.region && account === ctx.accountId;
  if (kind === 'sqs') {
    const exists = deps.esm.sources.sqsQueueExists;
    if (!exists) throw notSupported('SQS event sources (SQS is not part of this Eddy)');
    if (!here || !exists(arn)) {
      throw invalidParameter(
        'Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist or you do not have access to it.',
      );
    }
    return;
  }
  if (kind === 'dynamodb' && here && deps.esm.sources.dynamodbStreamExists(arn)) return;
  throw invalidParameter(`Stream not found: ${arn}`);
}

/** What Lambda says when the pair already has a mapping (409); SQS words it its own way. */
export function duplicateMapping(existing: EventSourceMapping, functionName: string): AwsError {
  const message =
    existing.kind === 'sqs'
      ? `An event source mapping with SQS arn (" ${existing.eventSourceArn} ") and function (" ${functionName} ") already exists. Please update or delete the existing mapping with UUID ${existing.uuid}`
      : `The event source arn (" ${existing.eventSourceArn} ") and function (" ${functionName} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${existing.uuid}`;
  return new AwsError('ResourceConflictException', message, 409);
}

/** Lambda's StateTransitionReason for a user's call: SQS mappings say it differently. */
export const userAction = (kind: EventSourceKind): string => (kind === 'sqs' ? 'USER_INITIATED' : 'User action');

/** The mapping as Lambda shows it now (its settled state once the transition is over). */
export function describeMapping(deps: LambdaDeps, mapping: EventSourceMapping): WireMappingConfiguration {
  return mappingConfiguration(mapping, reportedState(mapping, deps.clock.now(), deps.esm.transitionMs));
}

/** The mapping as the call that changed it answers: in the state the call put it in. */
export function answerWith(mapping: EventSourceMapping, state: MappingState = mapping.state): WireMappingConfiguration {
  return mappingConfiguration(mapping, state);
}
