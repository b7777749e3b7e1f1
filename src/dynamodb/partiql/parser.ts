/**
 * A hand-written recursive-descent parser for DynamoDB's PartiQL subset:
 *
 *   SELECT list FROM source [WHERE expr] [ORDER BY key [ASC|DESC], ...]
 *   INSERT INTO table VALUE {...}
 *   UPDATE table (SET path = expr, ... | REMOVE path)+ [WHERE expr] [RETURNING ...]
 *   FROM table [WHERE expr] (SET ... | REMOVE ...)+ [RETURNING ...]
 *   DELETE FROM table [WHERE expr] [RETURNING ...]
 *   EXISTS(SELECT ...)                       (ExecuteTransaction only)
 *
 * Expression precedence, loosest first: OR, AND, NOT, comparisons (= <> !=
 * < <= > >= IS IN BETWEEN LIKE), ||, + -, * / %, unary + -, then paths
 * (`a.b[0]`) on primaries (literals, `?`, names, calls, `[...]`, `<<...>>`,
 * `{...}`, parentheses). Unary minus folds into a number literal, as
 * DynamoDB's parser does (`- - 1` is 1).
 *
 * Syntax errors throw PartiqlSyntaxError with DynamoDB's detail; a few
 * refusals DynamoDB makes on well-formed syntax (aliases, joins, clauses it
 * does not support) are thrown here too, as AwsErrors with its texts.
 */
import type {
  BinaryOperator,
  DmlOperation,
  Expr,
  OrderItem,
  ParsedStatement,
  PathStep,
  Returning,
  ReturningMapping,
  SelectItem,
  SelectStatement,
  Statement,
} from './ast.js';
import {
  ALIASING,
  EXPECTED_DML,
  EXPECTED_KEYWORD,
  EXPECTED_TOKEN,
  INVALID_PATH_DOT,
  invalid,
  LEFTOVER_TOKEN,
  PartiqlSyntaxError,
  SINGLE_SOURCE,
  UNEXPECTED_KEYWORD,
  UNEXPECTED_TERM,
  unsupportedClause,
  unsupportedToken,
} from './errors.js';
import { tokenize, type Token } from './lexer.js';

/** Keywords that never start a function call, even before `(`. */
const STRUCTURAL = new Set([
  'SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'IN', 'IS', 'BETWEEN', 'LIKE', 'VALUE', 'VALUES', 'SET', 'REMOVE',
  'ORDER', 'GROUP', 'BY', 'AS', 'AT', 'ON', 'INSERT', 'UPDATE', 'DELETE', 'INTO', 'RETURNING', 'HAVING', 'LIMIT',
  'OFFSET', 'JOIN', 'TRUE', 'FALSE', 'NULL', 'MISSING', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'DISTINCT', 'ALL',
]);

const COMPARISONS: Readonly<Record<string, BinaryOperator>> = { '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** Keywords after a FROM source that start another source. */
const JOINS = new Set(['JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'OUTER', 'NATURAL']);

class Parser {
  private index = 0;
  private parameterCount = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  // --- tokens -------------------------------------------------------------

  private get current(): Token {
    return this.tokens[this.index]!;
  }

  private peek(offset = 1): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.current;
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private isKeyword(word: string, token: Token = this.current): boolean {
    return token.keyword === word;
  }

  private isPunct(symbol: string, token: Token = this.current): boolean {
    return token.kind === 'punct' && token.text === symbol;
  }

  private acceptKeyword(word: string): Token | undefined {
    return this.isKeyword(word) ? this.next() : undefined;
  }

  private acceptPunct(symbol: string): Token | undefined {
    return this.isPunct(symbol) ? this.next() : undefined;
  }

  private syntax(detail: string): never {
    throw new PartiqlSyntaxError(detail);
  }

  private expectKeyword(word: string): Token {
    const token = this.acceptKeyword(word);
    if (!token) this.syntax(this.current.kind === 'eof' ? UNEXPECTED_TERM : EXPECTED_KEYWORD);
    return token!;
  }

  private expectPunct(symbol: string): Token {
    const token = this.acceptPunct(symbol);
    if (!token) this.syntax(this.current.kind === 'eof' ? UNEXPECTED_TERM : EXPECTED_TOKEN);
    return token!;
  }

  /** A bare word that is not a reserved keyword, or a quoted identifier. */
  private isName(token: Token = this.current): boolean {
    return (token.kind === 'identifier' && token.keyword === undefined) || token.kind === 'quoted';
  }

  // --- statements ---------------------------------------------------------

  parse(): ParsedStatement {
    const statement = this.statement();
    this.acceptPunct(';');
    if (this.current.kind !== 'eof') this.syntax(LEFTOVER_TOKEN);
    return { statement, parameterCount: this.parameterCount };
  }

  private statement(): Statement {
    const token = this.current;
    switch (token.keyword) {
      case 'SELECT':
        return this.select();
      case 'INSERT':
        return this.insert();
      case 'UPDATE':
        return this.update();
      case 'DELETE':
        return this.delete();
      case 'FROM':
        return this.fromFirst();
      case 'EXISTS':
        if (this.isPunct('(', this.peek()) && this.isKeyword('SELECT', this.peek(2))) {
          this.next();
          this.next();
          const select = this.select();
          this.expectPunct(')');
          return { kind: 'exists', select };
        }
    }
    return this.syntax(EXPECTED_DML);
  }

  private select(): SelectStatement {
    this.expectKeyword('SELECT');
    let distinct = false;
    if (this.acceptKeyword('DISTINCT')) distinct = true;
    else this.acceptKeyword('ALL');
    if (distinct) throw invalid(unsupportedToken('DISTINCT'));

    let value = false;
    const items: SelectItem[] = [];
    if (this.acceptKeyword('VALUE')) {
      value = true;
      items.push({ kind: 'expr', expr: this.expression(), aliased: false });
    } else if (this.isKeyword('PIVOT')) {
      this.syntax(UNEXPECTED_KEYWORD);
    } else {
      do items.push(this.selectItem());
      while (this.acceptPunct(','));
    }

    this.expectKeyword('FROM');
    const from = this.source();
    if (this.isPunct(',') || (this.current.keyword !== undefined && JOINS.has(this.current.keyword))) throw invalid(SINGLE_SOURCE);

    const where = this.acceptKeyword('WHERE') ? this.expression() : undefined;
    if (this.isKeyword('GROUP')) throw invalid(unsupportedClause('GROUP BY'));
    if (this.isKeyword('HAVING')) {
      this.next();
      throw invalid(unsupportedClause('HAVING'), this.expression().position);
    }
    let orderBy: OrderItem[] | undefined;
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      orderBy = [];
      do {
        const expr = this.expression();
        let descending = false;
        if (this.acceptKeyword('DESC')) descending = true;
        else this.acceptKeyword('ASC');
        orderBy.push({ expr, descending });
      } while (this.acceptPunct(','));
    }
    if (this.isKeyword('LIMIT') || this.isKeyword('OFFSET')) {
      const clause = this.next().keyword!;
      throw invalid(unsupportedClause(clause), this.expression().position);
    }
    return { kind: 'select', value, distinct, items, from, ...(where ? { where } : {}), ...(orderBy ? { orderBy } : {}) };
  }

  private selectItem(): SelectItem {
    const star = this.acceptPunct('*');
    if (star) return { kind: 'star', position: star.position };
    const expr = this.expression();
    if (expr.type === 'path' && expr.steps.at(-1)?.kind === 'unpivot') {
      return { kind: 'project-all', expr };
    }
    let aliased = false;
    if (this.acceptKeyword('AS')) {
      this.name();
      aliased = true;
    } else if (this.isName()) {
      this.next();
      aliased = true;
    }
    return { kind: 'expr', expr, aliased };
  }

  /** A FROM source: a table path, refused with an alias. */
  private source(): Expr {
    const expr = this.primaryWithPath();
    if (this.isKeyword('AS') || this.isKeyword('AT') || this.isKeyword('BY') || this.isName()) throw invalid(ALIASING);
    return expr;
  }

  private name(): Token {
    if (!this.isName()) this.syntax(this.current.kind === 'eof' ? UNEXPECTED_TERM : EXPECTED_TOKEN);
    return this.next();
  }

  private insert(): Statement {
    this.expectKeyword('INSERT');
    this.expectKeyword('INTO');
    const target = this.primaryWithPath();
    if (!this.acceptKeyword('VALUE')) this.syntax(this.current.kind === 'eof' ? UNEXPECTED_TERM : LEFTOVER_TOKEN);
    const value = this.expression();
    const returning = this.returning();
    return { kind: 'insert', target, value, ...(returning ? { returning } : {}) };
  }

  private update(): Statement {
    this.expectKeyword('UPDATE');
    const target = this.source();
    const operations = this.dmlOperations();
    const where = this.acceptKeyword('WHERE') ? this.expression() : undefined;
    const returning = this.returning();
    return { kind: 'update', target, operations, ...(where ? { where } : {}), ...(returning ? { returning } : {}) };
  }

  /** `FROM t [WHERE ...] SET ...`: an UPDATE written source first. */
  private fromFirst(): Statement {
    this.expectKeyword('FROM');
    const target = this.source();
    const where = this.acceptKeyword('WHERE') ? this.expression() : undefined;
    const operations = this.dmlOperations();
    const returning = this.returning();
    return { kind: 'update', target, operations, ...(where ? { where } : {}), ...(returning ? { returning } : {}) };
  }

  private dmlOperations(): DmlOperation[] {
    const operations: DmlOperation[] = [];
    for (;;) {
      if (this.acceptKeyword('SET')) {
        do {
          const target = this.expression({ noComparison: true });
          this.expectPunct('=');
          operations.push({ op: 'set', target, value: this.expression() });
        } while (this.acceptPunct(','));
      } else if (this.acceptKeyword('REMOVE')) {
        operations.push({ op: 'remove', target: this.expression({ noComparison: true }) });
      } else {
        break;
      }
    }
    if (operations.length === 0) this.syntax(EXPECTED_DML);
    return operations;
  }

  private delete(): Statement {
    this.expectKeyword('DELETE');
    this.expectKeyword('FROM');
    const target = this.source();
    const where = this.acceptKeyword('WHERE') ? this.expression() : undefined;
    const returning = this.returning();
    return { kind: 'delete', target, ...(where ? { where } : {}), ...(returning ? { returning } : {}) };
  }

  private returning(): Returning | undefined {
    if (!this.acceptKeyword('RETURNING')) return undefined;
    const elements: { mapping: ReturningMapping; star: boolean }[] = [];
    do {
      const kind = this.acceptKeyword('ALL') ?? this.acceptKeyword('MODIFIED');
      if (!kind) this.syntax(this.current.kind === 'eof' ? UNEXPECTED_TERM : EXPECTED_KEYWORD);
      const age = this.acceptKeyword('OLD') ?? this.acceptKeyword('NEW');
      if (!age) this.syntax(this.current.kind === 'eof' ? UNEXPECTED_TERM : EXPECTED_KEYWORD);
      const star = this.acceptPunct('*') !== undefined;
      if (!star) this.expression();
      elements.push({ mapping: `${kind!.keyword} ${age!.keyword}` as ReturningMapping, star });
    } while (this.acceptPunct(','));
    return { elements };
  }

  // --- expressions --------------------------------------------------------

  expression(options: { noComparison?: boolean } = {}): Expr {
    return options.noComparison ? this.concatenation() : this.or();
  }

  private or(): Expr {
    let left = this.and();
    while (this.isKeyword('OR')) {
      const op = this.next();
      left = { type: 'binary', op: 'or', left, right: this.and(), position: op.position };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isKeyword('AND')) {
      const op = this.next();
      left = { type: 'binary', op: 'and', left, right: this.not(), position: op.position };
    }
    return left;
  }

  private not(): Expr {
    if (this.isKeyword('NOT')) {
      const token = this.next();
      return { type: 'not', operand: this.not(), position: token.position };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    let left = this.concatenation();
    for (;;) {
      const token = this.current;
      const symbol = token.kind === 'punct' ? COMPARISONS[token.text] : undefined;
      if (symbol) {
        this.next();
        left = { type: 'binary', op: symbol, left, right: this.concatenation(), position: token.position };
        continue;
      }
      if (this.isKeyword('IS')) {
        this.next();
        const negated = this.acceptKeyword('NOT') !== undefined;
        const typeToken = this.next();
        if (typeToken.kind !== 'identifier') this.syntax(typeToken.kind === 'eof' ? UNEXPECTED_TERM : EXPECTED_TOKEN);
        let typeName = typeToken.text.toUpperCase();
        if (typeName === 'DOUBLE' && this.current.keyword === 'PRECISION') {
          this.next();
          typeName = 'DOUBLE PRECISION';
        }
        left = { type: 'is', operand: left, typeName, negated, position: token.position };
        continue;
      }
      const negated = this.isKeyword('NOT') && ['IN', 'BETWEEN', 'LIKE'].includes(this.peek().keyword ?? '');
      if (negated) this.next();
      if (this.isKeyword('IN')) {
        this.next();
        // `IN (a)` is a one-member list, as in SQL, not a parenthesized expression.
        const open = this.current;
        const list: Expr = this.isPunct('(') && !this.isKeyword('SELECT', this.peek())
          ? { type: 'sexp', items: this.sequence(')'), position: open.position }
          : this.concatenation();
        left = { type: 'in', operand: left, list, negated, position: token.position };
        continue;
      }
      if (this.isKeyword('BETWEEN')) {
        this.next();
        const low = this.concatenation();
        this.expectKeyword('AND');
        left = { type: 'between', operand: left, low, high: this.concatenation(), negated, position: token.position };
        continue;
      }
      if (this.isKeyword('LIKE')) {
        this.next();
        const pattern = this.concatenation();
        if (this.acceptKeyword('ESCAPE')) this.concatenation();
        left = { type: 'like', operand: left, pattern, negated, position: token.position };
        continue;
      }
      return left;
    }
  }

  private concatenation(): Expr {
    let left = this.additive();
    while (this.isPunct('||')) {
      const op = this.next();
      left = { type: 'binary', op: '||', left, right: this.additive(), position: op.position };
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isPunct('+') || this.isPunct('-')) {
      const op = this.next();
      left = { type: 'binary', op: op.text as '+' | '-', left, right: this.multiplicative(), position: op.position };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    while (this.isPunct('*') || this.isPunct('/') || this.isPunct('%')) {
      const op = this.next();
      left = { type: 'binary', op: op.text as '*' | '/' | '%', left, right: this.unary(), position: op.position };
    }
    return left;
  }

  private unary(): Expr {
    if (this.isPunct('-') || this.isPunct('+')) {
      const sign = this.next();
      const operand = this.unary();
      if (operand.type === 'literal' && operand.value.kind === 'number') {
        const negative = sign.text === '-' ? !operand.value.negative : operand.value.negative;
        return { ...operand, value: { ...operand.value, negative } };
      }
      return { type: sign.text === '-' ? 'negate' : 'plus', operand, position: sign.position };
    }
    return this.primaryWithPath();
  }

  /** A primary followed by path steps: `.name`, `."name"`, `[expr]`, `.*`, `[*]`. */
  private primaryWithPath(): Expr {
    const root = this.primary();
    const steps: PathStep[] = [];
    for (;;) {
      if (this.isPunct('.')) {
        const dot = this.next();
        const token = this.current;
        if (this.isPunct('*')) {
          this.next();
          steps.push({ kind: 'unpivot', position: dot.position });
        } else if (this.isName(token)) {
          this.next();
          steps.push({ kind: 'name', name: token.text, position: token.position });
        } else {
          this.syntax(INVALID_PATH_DOT);
        }
      } else if (this.isPunct('[')) {
        const bracket = this.next();
        if (this.isPunct('*') && this.isPunct(']', this.peek())) {
          this.next();
          this.next();
          steps.push({ kind: 'wildcard', position: bracket.position });
        } else {
          const index = this.expression();
          this.expectPunct(']');
          steps.push({ kind: 'index', index, position: index.position });
        }
      } else {
        break;
      }
    }
    return steps.length === 0 ? root : { type: 'path', root, steps, position: root.position };
  }

  private primary(): Expr {
    const token = this.current;
    switch (token.kind) {
      case 'string':
        this.next();
        return { type: 'literal', value: { kind: 'string', text: token.text }, position: token.position };
      case 'number':
        this.next();
        return { type: 'literal', value: { kind: 'number', text: token.text, negative: false }, position: token.position };
      case 'parameter':
        this.next();
        return { type: 'parameter', index: this.parameterCount++, position: token.position };
      case 'quoted':
        this.next();
        return { type: 'identifier', name: token.text, position: token.position };
      case 'identifier':
        return token.keyword === undefined ? this.identifierOrCall() : this.keywordTerm();
      case 'punct':
        return this.punctuationTerm();
      case 'eof':
        return this.syntax(UNEXPECTED_TERM);
    }
  }

  private identifierOrCall(): Expr {
    const token = this.next();
    if (this.isPunct('(')) return this.call(token);
    return { type: 'identifier', name: token.text, position: token.position };
  }

  private keywordTerm(): Expr {
    const token = this.current;
    switch (token.keyword) {
      case 'TRUE':
      case 'FALSE':
        this.next();
        return { type: 'literal', value: { kind: 'boolean', value: token.keyword === 'TRUE' }, position: token.position };
      case 'NULL':
        this.next();
        return { type: 'literal', value: { kind: 'null' }, position: token.position };
      case 'MISSING':
        this.next();
        return { type: 'literal', value: { kind: 'missing' }, position: token.position };
      case 'CASE':
      case 'SELECT':
        throw invalid(unsupportedToken(token.keyword));
    }
    if (!STRUCTURAL.has(token.keyword!) && this.isPunct('(', this.peek())) return this.call(this.next());
    return this.syntax(UNEXPECTED_KEYWORD);
  }

  private call(name: Token): Expr {
    this.expectPunct('(');
    const args: Expr[] = [];
    let star = false;
    if (this.isPunct('*') && this.isPunct(')', this.peek())) {
      this.next();
      star = true;
    } else if (!this.isPunct(')')) {
      do args.push(this.expression());
      while (this.acceptPunct(','));
    }
    this.expectPunct(')');
    return { type: 'call', name: name.text.toLowerCase(), args, star, position: name.position };
  }

  private punctuationTerm(): Expr {
    const token = this.current;
    switch (token.text) {
      case '(': {
        this.next();
        const first = this.expression();
        if (this.acceptPunct(')')) return first;
        const items = [first];
        while (this.acceptPunct(',')) items.push(this.expression());
        this.expectPunct(')');
        return { type: 'sexp', items, position: token.position };
      }
      case '[':
        return { type: 'list', items: this.sequence(']'), position: token.position };
      case '<<':
        return { type: 'bag', items: this.sequence('>>'), position: token.position };
      case '{': {
        this.next();
        const fields: { key: Expr; value: Expr }[] = [];
        if (!this.isPunct('}')) {
          do {
            const key = this.expression();
            this.expectPunct(':');
            fields.push({ key, value: this.expression() });
          } while (this.acceptPunct(','));
        }
        this.expectPunct('}');
        return { type: 'struct', fields, position: token.position };
      }
    }
    return this.syntax(UNEXPECTED_TERM);
  }

  private sequence(close: string): Expr[] {
    this.next();
    const items: Expr[] = [];
    if (!this.isPunct(close)) {
      do items.push(this.expression());
      while (this.acceptPunct(','));
    }
    this.expectPunct(close);
    return items;
  }
}

/**
 * Parses one statement. Throws PartiqlSyntaxError for text DynamoDB cannot
 * parse, and AwsError for the refusals DynamoDB makes while reading it.
 */
export function parseStatement(source: string): ParsedStatement {
  return new Parser(tokenize(source)).parse();
}

/** Parses a lone expression (for tests). */
export function parseExpression(source: string): Expr {
  const parser = new Parser(tokenize(source));
  return parser.expression();
}
