import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { describeMapping, requireMapping } from '../esm/control-plane.js';
import type { WireMappingConfiguration } from '../esm/mapping-configuration.js';

export interface GetEventSourceMappingInput {
  UUID: string;
}

export function GetEventSourceMapping(input: GetEventSourceMappingInput, ctx: RequestContext, deps: LambdaDeps): WireMappingConfiguration {
  return describeMapping(deps, requireMapping(deps, input.UUID, ctx));
}
