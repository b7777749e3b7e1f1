import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { invalidParameter, notSupported } from '../errors.js';
import { MAX_TAGS } from '../functions.js';
import { answerWith, duplicateMapping, requireMappingFunction, requireSource, userAction } from '../esm/control-plane.js';
import type { EventSourceMapping } from '../esm/mapping.js';
import type { WireMappingConfiguration } from '../esm/mapping-configuration.js';
import { applySettings, checkStartingPosition, defaultSettings, parseSourceArn, refuseUnsupported, type CreateMappingInput } from '../esm/validate-mapping.js';

/**
 * Creates a mapping from a DynamoDB stream or an SQS queue to a function and
 * hands it to the engine. Parameters are checked before the function, the
 * function before the source, the source before the duplicate check, as
 * Lambda does. The answer (202) shows the mapping Creating; it is Enabled (or
 * Disabled, with Enabled false) from then on, or after config
 * tableTransitionMs when that is set.
 */
export function CreateEventSourceMapping(input: CreateMappingInput, ctx: RequestContext, deps: LambdaDeps): WireMappingConfiguration {
  refuseUnsupported(input);
  if (input.Tags && Object.keys(input.Tags).length > MAX_TAGS) throw invalidParameter('Number of tags exceeds resource tag limit.');
  if (input.EventSourceArn === undefined) throw invalidParameter('Unrecognized event source.');
  const source = parseSourceArn(input.EventSourceArn);
  if (source.kind === 'unsupported') throw notSupported(source.service);
  if (source.kind === 'unrecognized') throw invalidParameter('Unrecognized event source.');
  const position = checkStartingPosition(input, source.kind);
  const settings = applySettings(defaultSettings(source.kind), input, source.kind, source.fifo);
  const fn = requireMappingFunction(deps, input.FunctionName, ctx);
  requireSource(deps, source.kind, input.EventSourceArn, source.region, source.account, ctx);
  const functionArn = `arn:aws:lambda:${fn.region}:${fn.account}:function:${fn.name}`;
  const existing = deps.esm.store.findPair(input.EventSourceArn, functionArn);
  if (existing) throw duplicateMapping(existing, fn.name);

  const uuid = randomUUID();
  const mapping: EventSourceMapping = {
    uuid,
    arn: `arn:aws:lambda:${ctx.region}:${ctx.accountId}:event-source-mapping:${uuid}`,
    account: ctx.accountId,
    region: ctx.region,
    kind: source.kind,
    eventSourceArn: input.EventSourceArn,
    functionArn,
    state: 'Creating',
    stateTransitionReason: userAction(source.kind),
    lastModified: deps.clock.now(),
    lastProcessingResult: 'No records processed',
    ...position,
    ...settings,
  };
  deps.esm.store.insert(mapping);
  if (input.Tags && Object.keys(input.Tags).length > 0) deps.esm.store.setTags(uuid, { ...input.Tags });
  deps.mappings.apply(mapping);
  return answerWith(mapping);
}
