import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { answerWith, duplicateMapping, requireMapping, requireMappingFunction, userAction } from '../esm/control-plane.js';
import type { EventSourceMapping, MappingState } from '../esm/mapping.js';
import type { WireMappingConfiguration } from '../esm/mapping-configuration.js';
import { applySettings, parseSourceArn, refuseUnsupported, type UpdateMappingInput } from '../esm/validate-mapping.js';

/**
 * Changes a mapping's settings, its function or whether it runs, and hands
 * the result to the engine. Disabling pauses it and keeps its checkpoints;
 * enabling resumes from them. The answer (202) shows Enabling, Disabling or
 * Updating; the mapping settles on Enabled or Disabled (at once, or after
 * config tableTransitionMs).
 */
export function UpdateEventSourceMapping(input: UpdateMappingInput, ctx: RequestContext, deps: LambdaDeps): WireMappingConfiguration {
  refuseUnsupported(input);
  const current = requireMapping(deps, input.UUID, ctx);
  const source = parseSourceArn(current.eventSourceArn);
  const settings = applySettings(current, input, current.kind, source.kind === 'sqs' && source.fifo);
  let functionArn = current.functionArn;
  if (input.FunctionName !== undefined) {
    const fn = requireMappingFunction(deps, input.FunctionName, ctx);
    functionArn = `arn:aws:lambda:${fn.region}:${fn.account}:function:${fn.name}`;
    const other = functionArn === current.functionArn ? undefined : deps.esm.store.findPair(current.eventSourceArn, functionArn);
    if (other) throw duplicateMapping(other, fn.name);
  }
  const state: MappingState = settings.enabled === current.enabled ? 'Updating' : settings.enabled ? 'Enabling' : 'Disabling';
  const mapping: EventSourceMapping = {
    ...current,
    ...settings,
    functionArn,
    state,
    stateTransitionReason: userAction(current.kind),
    lastModified: deps.clock.now(),
  };
  deps.esm.store.update(mapping);
  deps.mappings.apply(mapping);
  return answerWith(mapping);
}
