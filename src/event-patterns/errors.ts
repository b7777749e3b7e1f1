// Errors for invalid event patterns and filter policies.

/**
 * The one text Lambda gives for any invalid FilterCriteria pattern
 * (CreateEventSourceMapping / UpdateEventSourceMapping answer
 * InvalidParameterValueException with it, whatever is wrong with the pattern).
 */
export const INVALID_FILTER_PATTERN_MESSAGE = 'Invalid filter pattern definition.';

/**
 * Thrown for an invalid pattern or filter policy. `message` is the reason text:
 * for SNS the part after "Invalid parameter: FilterPolicy: " (see snsInvalidParameterMessage).
 */
export class PatternSyntaxError extends Error {
  /**
   * SNS names the parameter before most reasons ("FilterPolicy: <reason>"), but a
   * few reasons stand alone (the nested-policy-in-MessageAttributes-scope one).
   */
  readonly namesFilterPolicy: boolean;

  constructor(reason: string, options: { namesFilterPolicy?: boolean } = {}) {
    super(reason);
    this.name = 'PatternSyntaxError';
    this.namesFilterPolicy = options.namesFilterPolicy ?? true;
  }
}

/**
 * SNS's InvalidParameter message for an invalid filter policy. Subscribe reports
 * attribute errors under "Attributes Reason: "; SetSubscriptionAttributes does not
 * (texts from localstack's AWS-validated snapshots).
 */
export function snsInvalidParameterMessage(error: PatternSyntaxError, operation: 'Subscribe' | 'SetSubscriptionAttributes'): string {
  const prefix = operation === 'Subscribe' ? 'Invalid parameter: Attributes Reason: ' : 'Invalid parameter: ';
  return prefix + (error.namesFilterPolicy ? `FilterPolicy: ${error.message}` : error.message);
}
