import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { answerWith, requireMapping } from '../esm/control-plane.js';
import type { WireMappingConfiguration } from '../esm/mapping-configuration.js';

export interface DeleteEventSourceMappingInput {
  UUID: string;
}

/**
 * Deletes the mapping and stops its consumers (the batch in flight finishes;
 * checkpoints go). Lambda answers 202 with the mapping Deleting; in Eddy it
 * is gone at once, so the next Get is ResourceNotFoundException.
 */
export function DeleteEventSourceMapping(input: DeleteEventSourceMappingInput, ctx: RequestContext, deps: LambdaDeps): WireMappingConfiguration {
  const mapping = requireMapping(deps, input.UUID, ctx);
  deps.esm.store.delete(mapping.uuid);
  deps.mappings.remove(mapping.uuid);
  return answerWith(mapping, 'Deleting');
}
