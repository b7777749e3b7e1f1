/**
 * The checks DynamoDB makes on a parsed condition, and the compiled
 * Condition they produce.
 *
 * DynamoDB reports one error per expression, and which one follows a fixed
 * priority that dynalite's db/conditionParser.pegjs reproduces from
 * DynamoDB: redundant parentheses, then an unknown function, then a function
 * used where it is not allowed, then a reserved word, then the first
 * comparison (in the order comparisons end) that has any of: an undefined
 * placeholder, a wrong number of operands, a path compared with itself, or a
 * wrong operand type. Within each kind the first occurrence in that order is
 * reported. The walk below visits the tree in that same order: operands
 * before the operator that uses them.
 */
import { typeOf, type AttributeType, type AttributeValue } from '../values/attribute-value.js';
import type { Comparator, Condition, ConditionFunctionName, Operand, Path, PathElement } from './ast.js';
import { ORDERED_TYPES, order } from './compare.js';
import type { RawCondition } from './condition-syntax.js';
import { formatPath, samePath } from './paths.js';
import { isReservedWord } from './reserved-words.js';
import type { Substitutions } from './substitutions.js';
import type { RawOperand } from './syntax.js';

/** Number of operands each condition function takes. */
const FUNCTION_ARITY: Readonly<Record<string, number>> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
  size: 1,
};

const TYPE_NAMES: readonly AttributeType[] = ['S', 'N', 'B', 'NULL', 'SS', 'BOOL', 'L', 'BS', 'NS', 'M'];

/** DynamoDB caps IN lists at 100 operands besides the first. */
export const MAX_IN_OPERANDS = 100;

/** An operand after placeholder substitution, with the type DynamoDB infers for it. */
type Checked =
  | { readonly kind: 'path'; readonly path: Path | undefined }
  | { readonly kind: 'value'; readonly value: AttributeValue | undefined }
  | {
      readonly kind: 'function';
      readonly name: string;
      readonly args: readonly Checked[];
      /** The type of the function's result when known and the function passed its checks. */
      readonly type: AttributeType | undefined;
    };

type CheckedCondition =
  | { readonly kind: 'and' | 'or'; readonly left: CheckedCondition; readonly right: CheckedCondition }
  | { readonly kind: 'not'; readonly condition: CheckedCondition }
  | { readonly kind: 'compare'; readonly op: Comparator; readonly args: readonly Checked[] }
  | { readonly kind: 'between' | 'in'; readonly args: readonly Checked[] }
  | Extract<Checked, { kind: 'function' }>;

/** Errors found per kind; each keeps its first occurrence. */
interface Found {
  parens?: string;
  unknownFunction?: string;
  misusedFunction?: string;
  reserved?: string;
  placeholder?: string;
  operands?: string;
  distinct?: string;
  type?: string;
  /** The first comparison's error among placeholder, operands, distinct and type. */
  condition?: string;
}

/** A literal's type; functions and paths have none of their own here. */
function literalType(operand: Checked): AttributeType | undefined {
  return operand.kind === 'value' && operand.value !== undefined ? typeOf(operand.value) : undefined;
}

/** A literal's type or a function's result type. */
function inferredType(operand: Checked): AttributeType | undefined {
  return operand.kind === 'function' ? operand.type : literalType(operand);
}

const isPath = (operand: Checked): operand is Extract<Checked, { kind: 'path' }> => operand.kind === 'path';

function boundText(value: AttributeValue): string {
  const type = typeOf(value);
  return `AttributeValue: {${type}:${String(value[type])}}`;
}

class ConditionChecker {
  readonly found: Found = {};

  constructor(private readonly substitutions: Substitutions) {}

  private note(kind: keyof Found, message: string): void {
    this.found[kind] ??= message;
  }

  condition(raw: RawCondition): CheckedCondition {
    switch (raw.type) {
      case 'and':
      case 'or': {
        const left = this.condition(raw.left);
        const right = this.condition(raw.right);
        this.sizeAsCondition(left);
        this.sizeAsCondition(right);
        return { kind: raw.type, left, right };
      }
      case 'not': {
        const condition = this.condition(raw.condition);
        this.sizeAsCondition(condition);
        return { kind: 'not', condition };
      }
      case 'compare': {
        const args = raw.args.map((arg) => this.operand(arg));
        this.functionsAsOperands(args);
        this.distinct(raw.op, args);
        if (raw.op !== '=' && raw.op !== '<>') this.orderedLiterals(raw.op, args);
        this.endOfComparison();
        return { kind: 'compare', op: raw.op, args };
      }
      case 'between': {
        const args = raw.args.map((arg) => this.operand(arg));
        this.functionsAsOperands(args);
        this.orderedLiterals('BETWEEN', args);
        this.betweenBounds(args[1]!, args[2]!);
        this.endOfComparison();
        return { kind: 'between', args };
      }
      case 'in': {
        const args = raw.args.map((arg) => this.operand(arg));
        this.functionsAsOperands(args);
        if (args.length - 1 > MAX_IN_OPERANDS) {
          this.note(
            'operands',
            `The IN operator is provided with too many operands; number of operands: ${args.length - 1}`,
          );
        }
        this.endOfComparison();
        return { kind: 'in', args };
      }
      case 'function': {
        const checked = this.call(raw.name, raw.args);
        this.endOfComparison();
        return checked;
      }
    }
  }

  /** At the end of each comparison, the first one with an error decides the reported error. */
  private endOfComparison(): void {
    const { placeholder, operands, distinct, type } = this.found;
    this.found.condition ??= placeholder ?? operands ?? distinct ?? type;
  }

  operand(raw: RawOperand): Checked {
    switch (raw.type) {
      case 'path':
        return { kind: 'path', path: this.path(raw.elements) };
      case 'value': {
        const value = this.substitutions.value(raw.name);
        if (value === undefined) {
          this.note(
            'placeholder',
            `An expression attribute value used in expression is not defined; attribute value: ${raw.name}`,
          );
        }
        return { kind: 'value', value };
      }
      case 'function':
        return this.call(raw.name, raw.args);
    }
  }

  private path(elements: Extract<RawOperand, { type: 'path' }>['elements']): Path | undefined {
    const path: PathElement[] = [];
    let resolved = true;
    for (const element of elements) {
      if (element.kind === 'index') {
        path.push(element.index);
      } else if (element.kind === 'word') {
        if (isReservedWord(element.text)) {
          this.note('reserved', `Attribute name is a reserved keyword; reserved keyword: ${element.text}`);
        }
        path.push(element.text);
      } else {
        const name = this.substitutions.name(element.text);
        if (name === undefined) {
          this.note(
            'placeholder',
            `An expression attribute name used in the document path is not defined; attribute name: ${element.text}`,
          );
          resolved = false;
        } else {
          path.push(name);
        }
      }
    }
    return resolved ? path : undefined;
  }

  private call(name: string, rawArgs: readonly RawOperand[]): Extract<Checked, { kind: 'function' }> {
    const args = rawArgs.map((arg) => this.operand(arg));
    this.functionsAsOperands(args);
    return { kind: 'function', name, args, type: this.functionType(name, args) };
  }

  /** dynalite's `checkFunction`: arity, distinct operands, operand types; returns the result type. */
  private functionType(name: string, args: readonly Checked[]): AttributeType | undefined {
    const found = this.found;
    if (found.unknownFunction) return undefined;
    const arity = FUNCTION_ARITY[name];
    if (arity === undefined || !Object.hasOwn(FUNCTION_ARITY, name)) {
      this.note('unknownFunction', `Invalid function name; function: ${name}`);
      return undefined;
    }
    if (found.operands) return undefined;
    if (args.length !== arity) {
      this.note(
        'operands',
        `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`,
      );
      return undefined;
    }
    this.distinct(name, args);
    if (found.type) return undefined;

    const wrongType = (type: string): undefined => {
      this.note(
        'type',
        `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`,
      );
      return undefined;
    };
    switch (name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        if (!isPath(args[0]!)) {
          this.note('type', `Operator or function requires a document path; operator or function: ${name}`);
        }
        return undefined;
      case 'begins_with':
        for (const arg of args) {
          const type = inferredType(arg);
          if (type !== undefined && type !== 'S' && type !== 'B') return wrongType(type);
        }
        return 'BOOL';
      case 'attribute_type': {
        const type = inferredType(args[1]!);
        if (type !== 'S') return wrongType(type ?? '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}');
        const typeName = (args[1] as Extract<Checked, { kind: 'value' }>).value!.S!;
        if (!(TYPE_NAMES as readonly string[]).includes(typeName)) {
          this.note(
            'type',
            `Invalid attribute type name found; type: ${typeName}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`,
          );
          return undefined;
        }
        return 'BOOL';
      }
      case 'size': {
        const type = inferredType(args[0]!);
        if (type === 'N' || type === 'BOOL' || type === 'NULL') return wrongType(type);
        return 'N';
      }
      default:
        return 'BOOL';
    }
  }

  /** Only size() may be an operand of a comparison or of another function. */
  private functionsAsOperands(args: readonly Checked[]): void {
    for (const arg of args) {
      if (arg.kind === 'function' && arg.name !== 'size') {
        this.note(
          'misusedFunction',
          `The function is not allowed to be used this way in an expression; function: ${arg.name}`,
        );
      }
    }
  }

  /** size() is not a condition by itself. */
  sizeAsCondition(condition: CheckedCondition): void {
    if (condition.kind === 'function' && condition.name === 'size') {
      this.note('misusedFunction', 'The function is not allowed to be used this way in an expression; function: size');
    }
  }

  /** A two-operand operator or function whose operands are the same path. */
  private distinct(operator: string, args: readonly Checked[]): void {
    if (args.length !== 2) return;
    const [first, second] = args;
    if (!isPath(first!) || !isPath(second!) || !first.path || !second.path) return;
    if (samePath(first.path, second.path)) {
      this.note(
        'distinct',
        `The first operand must be distinct from the remaining operands for this operator or function; ` +
          `operator: ${operator}, first operand: ${formatPath(first.path)}`,
      );
    }
  }

  /** Order comparisons and BETWEEN refuse literals of a type without an order. */
  private orderedLiterals(operator: string, args: readonly Checked[]): void {
    if (this.found.type) return;
    for (const arg of args) {
      const type = literalType(arg);
      if (type !== undefined && !ORDERED_TYPES.has(type)) {
        this.note(
          'type',
          `Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`,
        );
        return;
      }
    }
  }

  /** Two literal bounds must have one type, and the lower must not exceed the upper. */
  private betweenBounds(low: Checked, high: Checked): void {
    if (this.found.type) return;
    if (low.kind !== 'value' || high.kind !== 'value' || !low.value || !high.value) return;
    const bounds = `lower bound operand: ${boundText(low.value)}, upper bound operand: ${boundText(high.value)}`;
    if (typeOf(low.value) !== typeOf(high.value)) {
      this.note('type', `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
    } else if (order(low.value, high.value) === 1) {
      this.note(
        'type',
        `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`,
      );
    }
  }
}

function toOperand(checked: Checked): Operand {
  switch (checked.kind) {
    case 'path':
      return { kind: 'path', path: checked.path! };
    case 'value':
      return { kind: 'value', value: checked.value! };
    case 'function':
      return { kind: 'size', operand: toOperand(checked.args[0]!) };
  }
}

function toCondition(checked: CheckedCondition): Condition {
  switch (checked.kind) {
    case 'and':
    case 'or':
      return { kind: checked.kind, left: toCondition(checked.left), right: toCondition(checked.right) };
    case 'not':
      return { kind: 'not', condition: toCondition(checked.condition) };
    case 'compare': {
      const [left, right] = checked.args.map(toOperand);
      return { kind: 'compare', op: checked.op, left: left!, right: right! };
    }
    case 'between': {
      const [operand, low, high] = checked.args.map(toOperand);
      return { kind: 'between', operand: operand!, low: low!, high: high! };
    }
    case 'in': {
      const [operand, ...list] = checked.args.map(toOperand);
      return { kind: 'in', operand: operand!, list };
    }
    case 'function':
      return { kind: 'function', name: checked.name as ConditionFunctionName, args: checked.args.map(toOperand) };
  }
}

/** Operators DynamoDB counts against its limit of 300 per expression; functions are not counted. */
export function countOperators(raw: RawCondition): number {
  switch (raw.type) {
    case 'and':
    case 'or':
      return 1 + countOperators(raw.left) + countOperators(raw.right);
    case 'not':
      return 1 + countOperators(raw.condition);
    case 'function':
      return 0;
    default:
      return 1;
  }
}

/**
 * Resolves placeholders and checks a parsed condition, returning the
 * compiled condition or the message of the error DynamoDB reports.
 */
export function checkCondition(
  raw: RawCondition,
  redundantParentheses: boolean,
  substitutions: Substitutions,
): Condition | { error: string } {
  const checker = new ConditionChecker(substitutions);
  const root = checker.condition(raw);
  checker.sizeAsCondition(root);
  const found = checker.found;
  if (redundantParentheses) return { error: 'The expression has redundant parentheses;' };
  const error = found.unknownFunction ?? found.misusedFunction ?? found.reserved ?? found.condition;
  return error !== undefined ? { error } : toCondition(root);
}
