/**
 * The grammar of ConditionExpression, FilterExpression and
 * KeyConditionExpression (AWS developer guide, "Condition and filter
 * expressions"), in the shape dynalite's db/conditionParser.pegjs gives it,
 * whose quirks were checked against DynamoDB:
 *
 *   or        := and (OR or)?
 *   and       := not (AND and)?
 *   not       := NOT not | parens
 *   parens    := '(' '(' or ')' ')'            -- redundant parentheses
 *              | '(' '(' condition ')' ')'     -- redundant parentheses
 *              | condition
 *              | '(' or ')'
 *   condition := operand comparator operand
 *              | operand BETWEEN operand AND operand
 *              | operand IN '(' operand (',' operand)* ')'
 *              | function
 *   operand   := '(' '(' term ')' ')'          -- redundant parentheses
 *              | '(' term ')' | term
 *   term      := function | :value | path
 *   path      := group ('[' digits ']' | '.' identifier)*
 *   group     := identifier | '(' '(' path ')' ')' | '(' path ')'
 *
 * Keywords (AND, OR, NOT, BETWEEN, IN) are case-insensitive. Redundant
 * parentheses parse, and are reported after the parse, as DynamoDB does.
 * Precedence, tightest first: comparisons, BETWEEN, IN and functions; NOT;
 * AND; OR.
 */
import {
  TokenParser,
  type Parse,
  type RawFunction,
  type RawOperand,
  type RawPath,
  type RawPathElement,
  type RuleCall,
} from './syntax.js';
import type { Comparator } from './ast.js';

export type RawCondition =
  | { readonly type: 'and' | 'or'; readonly left: RawCondition; readonly right: RawCondition }
  | { readonly type: 'not'; readonly condition: RawCondition }
  | { readonly type: 'compare'; readonly op: Comparator; readonly args: readonly [RawOperand, RawOperand] }
  | { readonly type: 'between'; readonly args: readonly [RawOperand, RawOperand, RawOperand] }
  | { readonly type: 'in'; readonly args: readonly RawOperand[] }
  | RawFunction;

export interface ConditionSyntax {
  readonly root: RawCondition;
  /** Whether some part was wrapped in two pairs of parentheses. */
  readonly redundantParentheses: boolean;
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const COMPARATORS: readonly Comparator[] = ['<>', '<=', '>=', '=', '<', '>'];

const enum Rule {
  Or,
  And,
  Not,
  Parens,
  Condition,
  Operand,
  Term,
  Path,
  Group,
  Function,
}

const call = (rule: Rule): RuleCall => ({ rule });

class ConditionParser extends TokenParser {
  redundant = false;

  protected isKeyword(word: string): boolean {
    return KEYWORDS.has(word.toUpperCase());
  }

  parse(): RawCondition {
    return this.parseAll(Rule.Or);
  }

  protected start(rule: Rule): Parse<unknown> {
    switch (rule) {
      case Rule.Or:
        return this.or();
      case Rule.And:
        return this.and();
      case Rule.Not:
        return this.not();
      case Rule.Parens:
        return this.parens();
      case Rule.Condition:
        return this.condition();
      case Rule.Operand:
        return this.operand();
      case Rule.Term:
        return this.term();
      case Rule.Path:
        return this.path();
      case Rule.Group:
        return this.group();
      case Rule.Function:
        return this.functionCall(Rule.Operand);
    }
  }

  private *or(): Parse<RawCondition> {
    const left = (yield call(Rule.And)) as RawCondition | undefined;
    if (!left) return undefined;
    const start = this.pos;
    if (this.keyword('OR')) {
      const right = (yield call(Rule.Or)) as RawCondition | undefined;
      if (right) return { type: 'or', left, right };
    }
    this.rewind(start);
    return left;
  }

  private *and(): Parse<RawCondition> {
    const left = (yield call(Rule.Not)) as RawCondition | undefined;
    if (!left) return undefined;
    const start = this.pos;
    if (this.keyword('AND')) {
      const right = (yield call(Rule.And)) as RawCondition | undefined;
      if (right) return { type: 'and', left, right };
    }
    this.rewind(start);
    return left;
  }

  private *not(): Parse<RawCondition> {
    const start = this.pos;
    if (this.keyword('NOT')) {
      const condition = (yield call(Rule.Not)) as RawCondition | undefined;
      if (condition) return { type: 'not', condition };
      this.rewind(start);
    }
    return (yield call(Rule.Parens)) as RawCondition | undefined;
  }

  private *parens(): Parse<RawCondition> {
    const start = this.pos;
    if (this.punct('(') && this.punct('(')) {
      const inner = ((yield call(Rule.Or)) ?? (yield call(Rule.Condition))) as RawCondition | undefined;
      if (inner && this.punct(')') && this.punct(')')) {
        this.redundant = true;
        return inner;
      }
    }
    this.rewind(start);
    const condition = (yield call(Rule.Condition)) as RawCondition | undefined;
    if (condition) return condition;
    if (this.punct('(')) {
      const inner = (yield call(Rule.Or)) as RawCondition | undefined;
      if (inner && this.punct(')')) return inner;
    }
    return this.rewind(start);
  }

  private *condition(): Parse<RawCondition> {
    const start = this.pos;
    const first = (yield call(Rule.Operand)) as RawOperand | undefined;
    if (first) {
      const afterFirst = this.pos;
      const op = this.comparator();
      if (op) {
        const second = (yield call(Rule.Operand)) as RawOperand | undefined;
        if (second) return { type: 'compare', op, args: [first, second] };
      }
      this.rewind(afterFirst);
      if (this.keyword('BETWEEN')) {
        const low = (yield call(Rule.Operand)) as RawOperand | undefined;
        if (low && this.keyword('AND')) {
          const high = (yield call(Rule.Operand)) as RawOperand | undefined;
          if (high) return { type: 'between', args: [first, low, high] };
        }
      }
      this.rewind(afterFirst);
      if (this.keyword('IN') && this.punct('(')) {
        const list = (yield* this.list(Rule.Operand)) as RawOperand[] | undefined;
        if (list && this.punct(')')) return { type: 'in', args: [first, ...list] };
      }
      this.rewind(start);
    }
    return (yield call(Rule.Function)) as RawFunction | undefined;
  }

  private comparator(): Comparator | undefined {
    const token = this.token;
    if (token.kind === 'punct') {
      const op = COMPARATORS.find((c) => c === token.text);
      if (op) {
        this.pos++;
        return op;
      }
    }
    return this.miss();
  }

  private *operand(): Parse<RawOperand> {
    const start = this.pos;
    if (this.punct('(') && this.punct('(')) {
      const term = (yield call(Rule.Term)) as RawOperand | undefined;
      if (term && this.punct(')') && this.punct(')')) {
        this.redundant = true;
        return term;
      }
    }
    this.rewind(start);
    if (this.punct('(')) {
      const term = (yield call(Rule.Term)) as RawOperand | undefined;
      if (term && this.punct(')')) return term;
    }
    this.rewind(start);
    return (yield call(Rule.Term)) as RawOperand | undefined;
  }

  private *term(): Parse<RawOperand> {
    const fn = (yield call(Rule.Function)) as RawFunction | undefined;
    return fn ?? this.value() ?? ((yield call(Rule.Path)) as RawPath | undefined);
  }

  private *path(): Parse<RawPath> {
    const head = (yield call(Rule.Group)) as readonly RawPathElement[] | undefined;
    if (!head) return undefined;
    const elements = [...head];
    this.pathTail(elements);
    return { type: 'path', elements };
  }

  private *group(): Parse<readonly RawPathElement[]> {
    const start = this.pos;
    const element = this.identifier();
    if (element) return [element];
    if (this.punct('(') && this.punct('(')) {
      const inner = (yield call(Rule.Path)) as RawPath | undefined;
      if (inner && this.punct(')') && this.punct(')')) {
        this.redundant = true;
        return inner.elements;
      }
    }
    this.rewind(start);
    if (this.punct('(')) {
      const inner = (yield call(Rule.Path)) as RawPath | undefined;
      if (inner && this.punct(')')) return inner.elements;
    }
    return this.rewind(start);
  }
}

/** Parses a condition, throwing ExpressionSyntaxError with DynamoDB's text on a syntax error. */
export function parseConditionSyntax(source: string): ConditionSyntax {
  const parser = new ConditionParser(source);
  const root = parser.parse();
  return { root, redundantParentheses: parser.redundant };
}
