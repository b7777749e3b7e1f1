import { invalidParameters } from './errors.js';

export interface StreamSpecification {
  StreamEnabled: boolean;
  StreamViewType?: string;
}

/**
 * Validates a StreamSpecification given to CreateTable. Streams themselves are
 * built by the streams capability; the table stores the specification.
 */
export function checkCreateStreamSpecification(spec: StreamSpecification | undefined): StreamSpecification | undefined {
  if (!spec) return undefined;
  if (!spec.StreamEnabled) {
    if (spec.StreamViewType !== undefined) {
      // Text recorded from real DynamoDB (Parity Suite, 2026).
      throw invalidParameters('Table is being created with a stream disabled, UpdateViewType should not be specified');
    }
    return undefined;
  }
  if (spec.StreamViewType === undefined) {
    // Unverified wording: AWS documents the rule, not the message.
    throw invalidParameters('Enabled stream specification must have a StreamViewType');
  }
  return { StreamEnabled: true, StreamViewType: spec.StreamViewType };
}
