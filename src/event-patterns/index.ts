// Event patterns shared by Lambda event source mapping filters (EventBridge
// syntax) and SNS subscription filter policies. See docs/event-patterns.md.

export type { PatternDialect } from './matchers.js';
export { PatternSyntaxError, INVALID_FILTER_PATTERN_MESSAGE, snsInvalidParameterMessage } from './errors.js';
export { compilePattern, type CompiledPattern } from './compile.js';
export { compileFilterCriteria, compileSqsFilterCriteria, MAX_FILTER_PATTERN_LENGTH } from './lambda-filters.js';
export {
  compileSnsFilterPolicy,
  MAX_FILTER_POLICY_BYTES,
  MAX_FILTER_POLICY_COMBINATIONS,
  MAX_FILTER_POLICY_KEYS,
  type FilterPolicyScope,
  type SnsFilterPolicy,
  type SnsMessageAttribute,
} from './sns-filter-policy.js';
