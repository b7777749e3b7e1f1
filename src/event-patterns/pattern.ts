// A whole pattern (`{"detail": {"state": ["x"]}, "$or": [...]}`) compiled once into
// a predicate over events: keys are AND'ed, nested objects descend into the event,
// `$or` takes a list of sub-patterns at the same level, and an array in the event
// matches when any of its elements does.

import { PatternSyntaxError } from './errors.js';
import { compileFieldMatchers, type FieldTest, type PatternDialect } from './matchers.js';

/** A test over the object at one level of the event (undefined when that level is absent). */
type LevelTest = (level: unknown) => boolean;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldOf(level: unknown, key: string): unknown {
  return isPlainObject(level) && Object.hasOwn(level, key) ? level[key] : undefined;
}

/**
 * A nested pattern applies to the object under its key; when the event holds an
 * array there, the whole sub-pattern must hold for one element (the fields it
 * names are matched together, not across elements).
 */
function descend(test: LevelTest): FieldTest {
  const applyTo = (value: unknown): boolean => {
    if (!Array.isArray(value)) return test(value);
    return value.length === 0 ? test(undefined) : value.some(applyTo);
  };
  return applyTo;
}

// `$or` reasons are aws/event-ruler's.
function compileOr(branches: unknown, dialect: PatternDialect): LevelTest {
  if (!Array.isArray(branches)) throw new PatternSyntaxError('It must be an Array followed with $or.');
  if (!branches.every(isPlainObject)) throw new PatternSyntaxError('Only JSON object is allowed in array of $or relationship.');
  if (branches.length < 2) throw new PatternSyntaxError('There must have at least 2 Objects in $or relationship.');
  const tests = branches.map((branch) => compileLevel(branch, dialect));
  return (level) => tests.some((test) => test(level));
}

/**
 * Compiles one level of a pattern object into an AND of its keys' tests. An empty
 * object is refused (event-ruler), except where callers allow the empty policy.
 */
export function compileLevel(pattern: Record<string, unknown>, dialect: PatternDialect): LevelTest {
  if (Object.keys(pattern).length === 0) throw new PatternSyntaxError('Empty objects are not allowed');
  const tests: LevelTest[] = [];
  for (const [key, spec] of Object.entries(pattern)) {
    if (key === '$or') {
      tests.push(compileOr(spec, dialect));
    } else if (Array.isArray(spec)) {
      const field = compileFieldMatchers(spec, dialect);
      tests.push((level) => field(fieldOf(level, key)));
    } else if (isPlainObject(spec)) {
      const nested = descend(compileLevel(spec, dialect));
      tests.push((level) => nested(fieldOf(level, key)));
    } else {
      throw new PatternSyntaxError(`"${key}" must be an object or an array`);
    }
  }
  return (level) => {
    for (const test of tests) if (!test(level)) return false;
    return true;
  };
}

/** Parses pattern text (or takes an already-parsed value) and checks it is a JSON object. */
export function parsePatternObject(pattern: string | object, notJsonReason: string, notObjectReason: string): Record<string, unknown> {
  let parsed: unknown = pattern;
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern);
    } catch {
      throw new PatternSyntaxError(notJsonReason);
    }
  }
  if (!isPlainObject(parsed)) throw new PatternSyntaxError(notObjectReason);
  return parsed;
}
