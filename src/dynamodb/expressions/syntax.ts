/**
 * What the grammars produce: syntax trees with placeholders still
 * unresolved, so that the semantic checks can report DynamoDB's errors in
 * DynamoDB's order. Also the small parsing engine the grammars share.
 */
import { ExpressionSyntaxError } from './errors.js';
import { syntaxErrorMessage, tokenize, type Token } from './lexer.js';

export type RawPathElement =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'name'; readonly text: string }
  | { readonly kind: 'index'; readonly index: number };

export interface RawPath {
  readonly type: 'path';
  readonly elements: readonly RawPathElement[];
}

export interface RawValue {
  readonly type: 'value';
  readonly name: string;
}

export interface RawFunction {
  readonly type: 'function';
  readonly name: string;
  readonly args: readonly RawOperand[];
}

export type RawOperand = RawPath | RawValue | RawFunction;

/** A request, yielded by a rule, to run rule `rule` at the current token and resume with its result. */
export interface RuleCall {
  readonly rule: number;
}

/**
 * A grammar rule: a generator that yields RuleCalls for the rules it uses
 * and returns its result, or undefined when it does not match (having put
 * `pos` back where it started).
 */
export type Parse<T> = Generator<RuleCall, T | undefined, unknown>;

/**
 * A parsing engine over tokens in the style of a PEG: alternatives are tried
 * in order, a failed alternative rewinds, and the error, if the whole parse
 * fails, is reported at the furthest token any alternative got to.
 *
 * Rules do not call each other directly: they yield the call, and a loop
 * runs them on its own stack, so an expression nested a thousand deep (a
 * 4 KB expression can be) does not exhaust JavaScript's. Results are
 * memoized per rule and position so that nested parentheses, which every
 * alternative re-reads, parse in linear time.
 */
export abstract class TokenParser {
  protected readonly tokens: Token[];
  protected pos = 0;
  private furthest = 0;
  private readonly memo = new Map<number, { value: unknown; end: number }>();

  constructor(protected readonly source: string) {
    this.tokens = tokenize(source);
  }

  /** Starts rule number `rule` (a generator) at the current position. */
  protected abstract start(rule: number): Parse<unknown>;

  /** `word` tokens that are keywords of this grammar, which can be neither paths nor functions. */
  protected abstract isKeyword(word: string): boolean;

  /** Parses the whole expression with rule `rule`, or throws DynamoDB's syntax error. */
  protected parseAll<T>(rule: number): T {
    const result = this.run(rule) as T | undefined;
    if (result === undefined || !this.end()) {
      throw new ExpressionSyntaxError(syntaxErrorMessage(this.source, this.tokens, this.furthest));
    }
    return result;
  }

  private run(first: number): unknown {
    const frames: { parse: Parse<unknown>; key: number; start: number }[] = [];
    let call: number | undefined = first;
    let input: unknown;
    for (;;) {
      if (call !== undefined) {
        const key = call * (this.tokens.length + 1) + this.pos;
        const hit = this.memo.get(key);
        if (hit) {
          this.pos = hit.end;
          input = hit.value;
          if (frames.length === 0) return input;
        } else {
          frames.push({ parse: this.start(call), key, start: this.pos });
          input = undefined;
        }
        call = undefined;
      }
      const frame = frames[frames.length - 1]!;
      const step = frame.parse.next(input);
      if (step.done) {
        frames.pop();
        const value = step.value;
        if (value === undefined) this.pos = frame.start;
        this.memo.set(frame.key, { value, end: this.pos });
        if (frames.length === 0) return value;
        input = value;
      } else {
        call = step.value.rule;
      }
    }
  }

  protected get token(): Token {
    return this.tokens[this.pos]!;
  }

  /** Records that nothing matched at the current token. */
  protected miss(): undefined {
    if (this.pos > this.furthest) this.furthest = this.pos;
    return undefined;
  }

  protected punct(text: string): boolean {
    const token = this.token;
    if (token.kind === 'punct' && token.text === text) {
      this.pos++;
      return true;
    }
    this.miss();
    return false;
  }

  /** Matches `word` (upper case) case-insensitively. */
  protected keyword(word: string): boolean {
    const token = this.token;
    if (token.kind === 'word' && token.text.toUpperCase() === word) {
      this.pos++;
      return true;
    }
    this.miss();
    return false;
  }

  protected kind(kind: Token['kind']): Token | undefined {
    const token = this.token;
    if (token.kind === kind) {
      this.pos++;
      return token;
    }
    return this.miss();
  }

  protected end(): boolean {
    if (this.token.kind === 'eof') return true;
    this.miss();
    return false;
  }

  /** Rewinds to `start` and reports no match. */
  protected rewind(start: number): undefined {
    this.pos = start;
    return undefined;
  }

  /** A path element: a word that is not a keyword, or a #name. */
  protected identifier(): RawPathElement | undefined {
    const token = this.token;
    if (token.kind === 'word' && !this.isKeyword(token.text)) {
      this.pos++;
      return { kind: 'word', text: token.text };
    }
    if (token.kind === 'name') {
      this.pos++;
      return { kind: 'name', text: token.text };
    }
    return this.miss();
  }

  /** `[n]` or `.identifier` after the first element of a path. */
  protected pathTail(elements: RawPathElement[]): void {
    for (;;) {
      const start = this.pos;
      if (this.punct('[')) {
        const number = this.kind('number');
        if (number && this.punct(']')) {
          elements.push({ kind: 'index', index: Number(number.text) });
          continue;
        }
      } else if (this.punct('.')) {
        const element = this.identifier();
        if (element) {
          elements.push(element);
          continue;
        }
      }
      this.rewind(start);
      return;
    }
  }

  protected value(): RawValue | undefined {
    const token = this.kind('value');
    return token && { type: 'value', name: token.text };
  }

  /** `name(` operand (',' operand)* `)`, with operands parsed by rule `argument`. */
  protected *functionCall(argument: number): Parse<RawFunction> {
    const start = this.pos;
    const token = this.token;
    if (token.kind !== 'word' || this.isKeyword(token.text)) return this.miss();
    this.pos++;
    if (!this.punct('(')) return this.rewind(start);
    const args = (yield* this.list(argument)) as RawOperand[] | undefined;
    if (!args || !this.punct(')')) return this.rewind(start);
    return { type: 'function', name: token.text, args };
  }

  /** One or more matches of rule `item` separated by commas. */
  protected *list(item: number): Parse<unknown[]> {
    const first = yield { rule: item };
    if (first === undefined) return undefined;
    const items = [first];
    for (;;) {
      const start = this.pos;
      if (!this.punct(',')) return items;
      const next = yield { rule: item };
      if (next === undefined) {
        this.rewind(start);
        return items;
      }
      items.push(next);
    }
  }
}
