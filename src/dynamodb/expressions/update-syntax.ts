/**
 * The grammar of UpdateExpression (AWS developer guide, "Update
 * expressions"), in the shape of dynalite's db/updateParser.pegjs:
 *
 *   update   := section+
 *   section  := SET set (',' set)* | REMOVE path (',' path)*
 *             | ADD path :value (',' path :value)* | DELETE path :value (',' ...)*
 *   set      := path '=' ( '(' value ')' | value )
 *   value    := operand '+' operand | operand '-' operand | operand
 *   operand  := '(' term ')' | term
 *   term     := function | :value | path
 *   function := name '(' operand (',' operand)* ')'
 *   path     := identifier ('[' digits ']' | '.' identifier)*
 *
 * Section keywords are case-insensitive and may come in any order; a
 * repeated section is reported after the parse. There are no literals and
 * only one arithmetic operator per SET action.
 */
import {
  TokenParser,
  type Parse,
  type RawFunction,
  type RawOperand,
  type RawPath,
  type RawPathElement,
  type RawValue,
  type RuleCall,
} from './syntax.js';

export type SectionName = 'SET' | 'REMOVE' | 'ADD' | 'DELETE';

export type RawSetValue =
  | RawOperand
  | { readonly type: 'plus' | 'minus'; readonly args: readonly [RawOperand, RawOperand] };

export type RawUpdateAction =
  | { readonly action: 'SET'; readonly path: RawPath; readonly value: RawSetValue }
  | { readonly action: 'REMOVE'; readonly path: RawPath }
  | { readonly action: 'ADD' | 'DELETE'; readonly path: RawPath; readonly value: RawValue };

export interface RawSection {
  readonly name: SectionName;
  readonly actions: readonly RawUpdateAction[];
}

const SECTIONS: readonly SectionName[] = ['SET', 'REMOVE', 'ADD', 'DELETE'];
const KEYWORDS = new Set<string>(SECTIONS);

const enum Rule {
  Update,
  Set,
  Remove,
  Add,
  Delete,
  Operand,
  Term,
  Function,
}

const ACTION_RULES: Readonly<Record<SectionName, Rule>> = {
  SET: Rule.Set,
  REMOVE: Rule.Remove,
  ADD: Rule.Add,
  DELETE: Rule.Delete,
};

const call = (rule: Rule): RuleCall => ({ rule });

class UpdateParser extends TokenParser {
  protected isKeyword(word: string): boolean {
    return KEYWORDS.has(word.toUpperCase());
  }

  parse(): RawSection[] {
    return this.parseAll(Rule.Update);
  }

  protected start(rule: Rule): Parse<unknown> {
    switch (rule) {
      case Rule.Update:
        return this.update();
      case Rule.Set:
        return this.set();
      case Rule.Remove:
        return this.remove();
      case Rule.Add:
        return this.addOrDelete('ADD');
      case Rule.Delete:
        return this.addOrDelete('DELETE');
      case Rule.Operand:
        return this.operand();
      case Rule.Term:
        return this.term();
      case Rule.Function:
        return this.functionCall(Rule.Operand);
    }
  }

  private *update(): Parse<RawSection[]> {
    const sections: RawSection[] = [];
    for (;;) {
      const section = yield* this.section();
      if (!section) return sections.length > 0 ? sections : undefined;
      sections.push(section);
    }
  }

  private *section(): Parse<RawSection> {
    const start = this.pos;
    for (const name of SECTIONS) {
      if (!this.keyword(name)) continue;
      const actions = (yield* this.list(ACTION_RULES[name])) as RawUpdateAction[] | undefined;
      if (actions) return { name, actions };
      return this.rewind(start);
    }
    return undefined;
  }

  private *set(): Parse<RawUpdateAction> {
    const start = this.pos;
    const path = this.path();
    if (!path || !this.punct('=')) return this.rewind(start);
    const value = yield* this.setValue();
    return value ? { action: 'SET', path, value } : this.rewind(start);
  }

  // eslint-disable-next-line require-yield
  private *remove(): Parse<RawUpdateAction> {
    const path = this.path();
    return path && { action: 'REMOVE', path };
  }

  // eslint-disable-next-line require-yield
  private *addOrDelete(action: 'ADD' | 'DELETE'): Parse<RawUpdateAction> {
    const start = this.pos;
    const path = this.path();
    const value = path && this.value();
    return path && value ? { action, path, value } : this.rewind(start);
  }

  private *setValue(): Parse<RawSetValue> {
    const start = this.pos;
    if (this.punct('(')) {
      const inner = yield* this.arithmetic();
      if (inner && this.punct(')')) return inner;
    }
    this.rewind(start);
    return yield* this.arithmetic();
  }

  private *arithmetic(): Parse<RawSetValue> {
    const start = this.pos;
    const left = (yield call(Rule.Operand)) as RawOperand | undefined;
    if (!left) return this.rewind(start);
    const afterLeft = this.pos;
    for (const [sign, type] of [
      ['+', 'plus'],
      ['-', 'minus'],
    ] as const) {
      if (this.punct(sign)) {
        const right = (yield call(Rule.Operand)) as RawOperand | undefined;
        if (right) return { type, args: [left, right] };
      }
      this.rewind(afterLeft);
    }
    return left;
  }

  private *operand(): Parse<RawOperand> {
    const start = this.pos;
    if (this.punct('(')) {
      const term = (yield call(Rule.Term)) as RawOperand | undefined;
      if (term && this.punct(')')) return term;
    }
    this.rewind(start);
    return (yield call(Rule.Term)) as RawOperand | undefined;
  }

  private *term(): Parse<RawOperand> {
    const fn = (yield call(Rule.Function)) as RawFunction | undefined;
    return fn ?? this.value() ?? this.path();
  }

  private path(): RawPath | undefined {
    const head = this.identifier();
    if (!head) return undefined;
    const elements: RawPathElement[] = [head];
    this.pathTail(elements);
    return { type: 'path', elements };
  }
}

/** Parses an update expression, throwing ExpressionSyntaxError with DynamoDB's text on a syntax error. */
export function parseUpdateSyntax(source: string): RawSection[] {
  return new UpdateParser(source).parse();
}
