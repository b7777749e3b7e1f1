// One field's list of matchers (`"state": ["a", {"prefix": "b"}, {"exists": false}]`)
// compiled once into a test over that field's value in an event.
//
// Reason texts are SNS's (localstack's AWS-validated snapshots of SNS filter-policy
// errors); EventBridge-only operators (wildcard, the case-insensitive prefix/suffix
// forms) use aws/event-ruler's wording. Lambda replaces every reason with
// INVALID_FILTER_PATTERN_MESSAGE, so only SNS users see these texts.

import { compileCidr } from './cidr.js';
import { PatternSyntaxError } from './errors.js';

export type PatternDialect = 'eventbridge' | 'sns';

/** A JSON scalar in an event: what matchers compare against. */
type Leaf = string | number | boolean | null;
type LeafTest = (leaf: Leaf) => boolean;
/** A test over a field's value as found in the event (undefined when absent). */
export type FieldTest = (value: unknown) => boolean;

const INVALID_MATCH_VALUE = 'Match value must be String, number, true, false, or null';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when some scalar inside `value` (itself, or any element of an array, recursively) passes. */
function anyLeaf(value: unknown, test: LeafTest): boolean {
  if (value === undefined) return false;
  if (Array.isArray(value)) {
    for (const element of value) if (anyLeaf(element, test)) return true;
    return false;
  }
  if (typeof value === 'object' && value !== null) return false;
  return test(value as Leaf);
}

/**
 * Whether the field exists for `exists` matching, which looks at leaves only: an
 * object or an empty array is not a leaf. SNS also treats null as absent
 * ("the key must have a non-null value"); EventBridge matches null like any value.
 */
function hasLeaf(value: unknown, nullIsLeaf: boolean): boolean {
  if (value === undefined) return false;
  if (Array.isArray(value)) return value.some((element) => hasLeaf(element, nullIsLeaf));
  if (value === null) return nullIsLeaf;
  return typeof value !== 'object';
}

function requireString(operator: string, spec: unknown): string {
  if (typeof spec !== 'string') throw new PatternSyntaxError(`${operator} match pattern must be a string`);
  return spec;
}

/** `{"prefix": "x"}` or (EventBridge) `{"prefix": {"equals-ignore-case": "x"}}`, and the same for suffix. */
function compileAffix(operator: 'prefix' | 'suffix', spec: unknown, dialect: PatternDialect): LeafTest {
  const ends = operator === 'prefix'
    ? (value: string, affix: string) => value.startsWith(affix)
    : (value: string, affix: string) => value.endsWith(affix);
  if (dialect === 'eventbridge' && isPlainObject(spec)) {
    const keys = Object.keys(spec);
    if (keys.length !== 1 || keys[0] !== 'equals-ignore-case') {
      throw new PatternSyntaxError(`Unsupported ${operator} pattern: ${keys.join(', ')}`);
    }
    const affix = requireString('equals-ignore-case', spec['equals-ignore-case']).toLowerCase();
    return (leaf) => typeof leaf === 'string' && ends(leaf.toLowerCase(), affix);
  }
  const affix = requireString(operator, spec);
  return (leaf) => typeof leaf === 'string' && ends(leaf, affix);
}

function compileEqualsIgnoreCase(spec: unknown): LeafTest {
  const lower = requireString('equals-ignore-case', spec).toLowerCase();
  return (leaf) => typeof leaf === 'string' && leaf.toLowerCase() === lower;
}

/**
 * `{"wildcard": "a*b"}` (EventBridge): `*` stands for any run of characters,
 * including none; `\*` is a literal star and `\\` a literal backslash.
 */
function compileWildcard(spec: unknown): LeafTest {
  const text = requireString('wildcard', spec);
  let source = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '*') {
      if (text[i + 1] === '*') throw new PatternSyntaxError(`Consecutive wildcard characters at pos ${i + 1}`);
      source += '[\\s\\S]*';
    } else if (ch === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\') throw new PatternSyntaxError(`Invalid escape character at pos ${i + 1}`);
      source += `\\${next}`;
      i++;
    } else {
      source += ch.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  const regex = new RegExp(`^${source}$`);
  return (leaf) => typeof leaf === 'string' && regex.test(leaf);
}

type Bound = { op: '>' | '>=' | '<' | '<=' | '='; value: number };

function numericOperand(op: string, value: unknown): number {
  if (typeof value !== 'number') throw new PatternSyntaxError(`Value of ${op === '=' ? 'equals' : op} must be numeric`);
  return value;
}

/**
 * `{"numeric": ["=", 5]}`, `[">", 0]`, `[">", 0, "<=", 5]`: one comparison, or a
 * lower bound followed by an upper bound. Matches JSON numbers only: the string
 * "5" (and a DynamoDB `{"N": "5"}` wrapper) never matches.
 */
function compileNumeric(spec: unknown): LeafTest {
  if (!Array.isArray(spec)) throw new PatternSyntaxError('Value of numeric must be an array.');
  if (spec.length === 0) throw new PatternSyntaxError('Invalid member in numeric match: ]');
  const [firstOp, firstValue, secondOp, secondValue, ...extra] = spec as unknown[];
  if (typeof firstOp !== 'string') throw new PatternSyntaxError(`Invalid member in numeric match: ${String(firstOp)}`);
  if (!['<', '<=', '=', '>', '>='].includes(firstOp)) {
    throw new PatternSyntaxError(`Unrecognized numeric range operator: ${firstOp}`);
  }
  const bounds: Bound[] = [{ op: firstOp as Bound['op'], value: numericOperand(firstOp, firstValue) }];
  if (spec.length > 2) {
    if (firstOp !== '>' && firstOp !== '>=') throw new PatternSyntaxError('Too many elements in numeric expression');
    if (typeof secondOp !== 'string') throw new PatternSyntaxError(`Bad value in numeric range: ${String(secondOp)}`);
    if (secondOp !== '<' && secondOp !== '<=') throw new PatternSyntaxError(`Bad numeric range operator: ${secondOp}`);
    const top = numericOperand(secondOp, secondValue);
    if (top <= bounds[0]!.value) throw new PatternSyntaxError('Bottom must be less than top');
    if (extra.length > 0) throw new PatternSyntaxError('Too many terms in numeric range expression');
    bounds.push({ op: secondOp, value: top });
  }
  const within = (n: number, { op, value }: Bound): boolean => {
    switch (op) {
      case '=': return n === value;
      case '>': return n > value;
      case '>=': return n >= value;
      case '<': return n < value;
      case '<=': return n <= value;
    }
  };
  return (leaf) => typeof leaf === 'number' && bounds.every((bound) => within(leaf, bound));
}

/**
 * The string tests anything-but may negate: `{"anything-but": {"prefix": "us-"}}`.
 * SNS has prefix only; EventBridge also suffix, and equals-ignore-case and wildcard
 * with one string or a list of them.
 */
function compileAnythingButObject(spec: Record<string, unknown>, dialect: PatternDialect): LeafTest {
  const keys = Object.keys(spec);
  const allowed = dialect === 'sns' ? ['prefix'] : ['prefix', 'suffix', 'equals-ignore-case', 'wildcard'];
  const operator = keys[0];
  if (operator === undefined) throw new PatternSyntaxError('Anything-But expression name not found');
  if (!allowed.includes(operator)) throw new PatternSyntaxError(`Unsupported anything-but pattern: ${operator}`);
  if (keys.length !== 1) throw new PatternSyntaxError('Only one key allowed in match expression');
  const operand = spec[operator];
  let tests: LeafTest[];
  if (operator === 'prefix' || operator === 'suffix') {
    if (typeof operand !== 'string') throw new PatternSyntaxError('prefix/suffix match pattern must be a string');
    if (operand === '') throw new PatternSyntaxError('Null prefix/suffix not allowed');
    tests = [compileAffix(operator, operand, 'sns')];
  } else {
    const operands = Array.isArray(operand) ? operand : [operand];
    if (operands.length === 0 || operands.some((one) => typeof one !== 'string')) {
      throw new PatternSyntaxError(`Inside anything-but/${operator} list, number|start|null|boolean is not supported.`);
    }
    tests = operands.map((one) => (operator === 'equals-ignore-case' ? compileEqualsIgnoreCase(one) : compileWildcard(one)));
  }
  return (leaf) => typeof leaf === 'string' && !tests.some((test) => test(leaf));
}

/** `{"anything-but": v}` or `[v, ...]`: any leaf other than the listed values (the field must exist). */
function compileAnythingBut(spec: unknown, dialect: PatternDialect): LeafTest {
  if (isPlainObject(spec)) return compileAnythingButObject(spec, dialect);
  if (dialect === 'sns') {
    const values = Array.isArray(spec) ? spec : [spec];
    if (values.length === 0) throw new PatternSyntaxError('Empty arrays are not allowed');
    if (!values.every((value) => value === null || ['string', 'number', 'boolean'].includes(typeof value))) {
      throw new PatternSyntaxError(INVALID_MATCH_VALUE);
    }
    const excluded = new Set<unknown>(values);
    return (leaf) => !excluded.has(leaf);
  }
  // EventBridge: one string or number, or a non-empty list of strings or of numbers.
  if (!Array.isArray(spec)) {
    if (typeof spec !== 'string' && typeof spec !== 'number') {
      throw new PatternSyntaxError('Value of anything-but must be an array or single string/number value.');
    }
    return (leaf) => leaf !== spec;
  }
  if (!spec.every((value) => typeof value === 'string' || typeof value === 'number')) {
    throw new PatternSyntaxError('Inside anything but list, start|null|boolean is not supported.');
  }
  const hasString = spec.some((value) => typeof value === 'string');
  const hasNumber = spec.some((value) => typeof value === 'number');
  if (hasString === hasNumber) {
    throw new PatternSyntaxError('Inside anything but list, either all values are number or string, mixed type is not supported');
  }
  const excluded = new Set<unknown>(spec);
  return (leaf) => !excluded.has(leaf);
}

type Matcher = { kind: 'exists'; exists: boolean } | { kind: 'leaf'; test: LeafTest };

function compileMatcher(spec: unknown, dialect: PatternDialect): Matcher {
  if (spec === null || typeof spec === 'string' || typeof spec === 'number' || typeof spec === 'boolean') {
    return { kind: 'leaf', test: (leaf) => leaf === spec };
  }
  if (!isPlainObject(spec)) throw new PatternSyntaxError(INVALID_MATCH_VALUE);
  const keys = Object.keys(spec);
  if (keys.length !== 1) throw new PatternSyntaxError('Only one key allowed in match expression');
  const operator = keys[0]!;
  const operand = spec[operator];
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') throw new PatternSyntaxError('exists match pattern must be either true or false.');
      return { kind: 'exists', exists: operand };
    case 'prefix':
    case 'suffix':
      return { kind: 'leaf', test: compileAffix(operator, operand, dialect) };
    case 'equals-ignore-case':
      return { kind: 'leaf', test: compileEqualsIgnoreCase(operand) };
    case 'anything-but':
      return { kind: 'leaf', test: compileAnythingBut(operand, dialect) };
    case 'numeric':
      return { kind: 'leaf', test: compileNumeric(operand) };
    case 'cidr': {
      const inRange = compileCidr(operand);
      return { kind: 'leaf', test: (leaf) => typeof leaf === 'string' && inRange(leaf) };
    }
    case 'wildcard':
      if (dialect === 'eventbridge') return { kind: 'leaf', test: compileWildcard(operand) };
      break;
  }
  throw new PatternSyntaxError(`Unrecognized match type ${operator}`);
}

/**
 * Compiles a field's matcher list (OR'ed). The field matches when any leaf of its
 * value (the value itself, or any element of an array) passes a value matcher, or
 * an `exists` matcher holds.
 */
export function compileFieldMatchers(spec: unknown[], dialect: PatternDialect): FieldTest {
  if (spec.length === 0) throw new PatternSyntaxError('Empty arrays are not allowed');
  const leafTests: LeafTest[] = [];
  let wantsPresent = false;
  let wantsAbsent = false;
  for (const matcherSpec of spec) {
    const matcher = compileMatcher(matcherSpec, dialect);
    if (matcher.kind === 'leaf') leafTests.push(matcher.test);
    else if (matcher.exists) wantsPresent = true;
    else wantsAbsent = true;
  }
  const nullIsLeaf = dialect === 'eventbridge';
  const anyTest: LeafTest | undefined = leafTests.length === 0 ? undefined
    : leafTests.length === 1 ? leafTests[0]
    : (leaf) => leafTests.some((test) => test(leaf));
  return (value) => {
    if (wantsPresent || wantsAbsent) {
      const present = hasLeaf(value, nullIsLeaf);
      if (present ? wantsPresent : wantsAbsent) return true;
    }
    return anyTest !== undefined && anyLeaf(value, anyTest);
  };
}
