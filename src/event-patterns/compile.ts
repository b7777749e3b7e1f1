// compilePattern: the dialect-neutral entry point (parse, validate, compile once).

import { compileLevel, parsePatternObject } from './pattern.js';
import type { PatternDialect } from './matchers.js';

export interface CompiledPattern {
  matches(event: unknown): boolean;
}

/**
 * Parses and validates a pattern (JSON text or an already-parsed object) and
 * compiles it into closures, so matching never looks at the pattern again.
 * Throws PatternSyntaxError, also for `{}` (event-ruler refuses empty objects).
 */
export function compilePattern(pattern: string | object, dialect: PatternDialect): CompiledPattern {
  // EventBridge's wording (event-ruler); SNS callers go through compileSnsFilterPolicy, which has SNS's.
  const parsed = parsePatternObject(pattern, 'Filter is not valid JSON', 'Filter is not an object');
  const test = compileLevel(parsed, dialect);
  return { matches: (event) => test(event) };
}
