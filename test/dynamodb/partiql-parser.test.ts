import { describe, expect, it } from 'vitest';
import { AwsError } from '../../src/edge/errors.js';
import type { Expr, SelectStatement, UpdateStatement } from '../../src/dynamodb/partiql/ast.js';
import { PartiqlSyntaxError } from '../../src/dynamodb/partiql/errors.js';
import { tokenize } from '../../src/dynamodb/partiql/lexer.js';
import { literalValue } from '../../src/dynamodb/partiql/literals.js';
import { readPartiqlNumber } from '../../src/dynamodb/partiql/numbers.js';
import { parseExpression, parseStatement } from '../../src/dynamodb/partiql/parser.js';

/** The syntax error detail for `source`, failing if it parses. */
function syntaxDetail(source: string): string {
  try {
    parseStatement(source);
  } catch (error) {
    if (error instanceof PartiqlSyntaxError) return error.detail;
    throw error;
  }
  throw new Error(`expected a syntax error for ${source}`);
}

/** The AwsError message a well-formed but refused statement gets while parsing. */
function refusal(source: string): string {
  try {
    parseStatement(source);
  } catch (error) {
    if (error instanceof AwsError) return error.message;
    throw error;
  }
  throw new Error(`expected a refusal for ${source}`);
}

/** A compact rendering of an expression tree, for precedence assertions. */
function show(expr: Expr): string {
  switch (expr.type) {
    case 'literal':
      switch (expr.value.kind) {
        case 'string':
          return `'${expr.value.text}'`;
        case 'number':
          return `${expr.value.negative ? '-' : ''}${expr.value.text}`;
        case 'boolean':
          return String(expr.value.value);
        default:
          return expr.value.kind.toUpperCase();
      }
    case 'parameter':
      return `?${expr.index}`;
    case 'identifier':
      return expr.name;
    case 'path':
      return `${show(expr.root)}${expr.steps.map((step) => (step.kind === 'name' ? `.${step.name}` : step.kind === 'index' ? `[${show(step.index)}]` : '.*')).join('')}`;
    case 'list':
      return `[${expr.items.map(show).join(', ')}]`;
    case 'bag':
      return `<<${expr.items.map(show).join(', ')}>>`;
    case 'sexp':
      return `(${expr.items.map(show).join(', ')})`;
    case 'struct':
      return `{${expr.fields.map((f) => `${show(f.key)}: ${show(f.value)}`).join(', ')}}`;
    case 'call':
      return `${expr.name}(${expr.star ? '*' : expr.args.map(show).join(', ')})`;
    case 'not':
      return `(NOT ${show(expr.operand)})`;
    case 'negate':
    case 'plus':
      return `(${expr.type === 'negate' ? '-' : '+'}${show(expr.operand)})`;
    case 'binary':
      return `(${show(expr.left)} ${expr.op.toUpperCase()} ${show(expr.right)})`;
    case 'between':
      return `(${show(expr.operand)} ${expr.negated ? 'NOT ' : ''}BETWEEN ${show(expr.low)} AND ${show(expr.high)})`;
    case 'in':
      return `(${show(expr.operand)} ${expr.negated ? 'NOT ' : ''}IN ${show(expr.list)})`;
    case 'like':
      return `(${show(expr.operand)} LIKE ${show(expr.pattern)})`;
    case 'is':
      return `(${show(expr.operand)} IS ${expr.negated ? 'NOT ' : ''}${expr.typeName})`;
  }
}

const where = (condition: string): string => {
  const parsed = parseStatement(`SELECT * FROM "T" WHERE ${condition}`).statement as SelectStatement;
  return show(parsed.where!);
};

describe('PartiQL lexer', () => {
  it('reads keywords in any case, quoted identifiers, strings and numbers', () => {
    const tokens = tokenize(`sElEcT "a""b", 'it''s', 7.31E+6, .5 FROM t`);
    expect(tokens.map((t) => [t.kind, t.text, t.keyword])).toEqual([
      ['identifier', 'sElEcT', 'SELECT'],
      ['quoted', 'a"b', undefined],
      ['punct', ',', undefined],
      ['string', "it's", undefined],
      ['punct', ',', undefined],
      ['number', '7.31E+6', undefined],
      ['punct', ',', undefined],
      ['number', '.5', undefined],
      ['identifier', 'FROM', 'FROM'],
      ['identifier', 't', undefined],
      ['eof', '', undefined],
    ]);
  });

  it('skips line and block comments, and counts lines and columns from 1', () => {
    const tokens = tokenize(`-- note\nSELECT /* x\n y */ a`);
    expect(tokens.map((t) => [t.text, t.position])).toEqual([
      ['SELECT', { line: 2, column: 1, length: 6 }],
      ['a', { line: 3, column: 7, length: 1 }],
      ['', { line: 3, column: 8, length: 0 }],
    ]);
  });

  it('measures a quoted token with its quotes', () => {
    expect(tokenize(`x = "Band"`)[2]!.position).toEqual({ line: 1, column: 5, length: 6 });
  });

  it('reads `--` as a comment even right after an operand', () => {
    expect(tokenize('n=n--1').map((t) => t.text)).toEqual(['n', '=', 'n', '']);
  });

  it.each([
    ['a hash comment', "pk = 1 # note"],
    ['an unterminated block comment', 'pk = 1 /* note'],
    ['an unterminated string', "pk = 'x"],
    ['an exponent without digits', 'pk = 1e'],
    ['an exponent beyond 32 bits', 'pk = 1e2147483648'],
    ['a scale beyond 32 bits', 'pk = 1.5e-2147483647'],
    ['a number running into a word', 'pk = 12abc'],
  ])('refuses %s with an empty detail', (_label, source) => {
    expect(() => tokenize(source)).toThrow(PartiqlSyntaxError);
    try {
      tokenize(source);
    } catch (error) {
      expect((error as PartiqlSyntaxError).detail).toBe('');
      expect((error as PartiqlSyntaxError).message).toBe("Statement wasn't well formed, can't be processed: ");
    }
  });
});

describe('PartiQL numbers', () => {
  it.each([
    ['7.31e6', '7310000'],
    ['731e4', '7310000'],
    ['73100000e-1', '7310000'],
    ['.73e1', '7.3'],
    ['-0', '0'],
    ['1.50', '1.5'],
  ])('%s is %s', (text, value) => {
    expect(readPartiqlNumber(text)).toEqual({ ok: true, value });
  });

  it('applies the magnitude rule in 32-bit arithmetic, which wraps', () => {
    expect(readPartiqlNumber('1e2147483647')).toMatchObject({ ok: false, reason: 'range', message: expect.stringMatching(/^Number underflow/) });
    expect(readPartiqlNumber('1e126')).toMatchObject({ ok: false, reason: 'range', message: expect.stringMatching(/^Number overflow/) });
    expect(readPartiqlNumber('9.9999999999999999999999999999999999999e125')).toMatchObject({ ok: true });
    expect(readPartiqlNumber('1e-130')).toEqual({ ok: true, value: `0.${'0'.repeat(129)}1` });
    expect(readPartiqlNumber('1e-131')).toMatchObject({ ok: false, reason: 'range' });
    expect(readPartiqlNumber('1'.repeat(39))).toMatchObject({ ok: false, message: 'Attempting to store more than 38 significant digits in a Number' });
  });

  it.each(['1e99999999999', '1e-2147483648', 'abc', '', '1 ', '0x10'])('%j cannot be converted', (text) => {
    expect(readPartiqlNumber(text)).toEqual({ ok: false, reason: 'unconvertible' });
  });
});

describe('PartiQL parser: expressions', () => {
  it('binds OR loosest, then AND, then NOT, then comparisons', () => {
    expect(where('a = 1 OR b = 2 AND NOT c = 3')).toBe('((a = 1) OR ((b = 2) AND (NOT (c = 3))))');
    expect(where('(a = 1 OR b = 2) AND c <> 3')).toBe('(((a = 1) OR (b = 2)) AND (c <> 3))');
  });

  it('reads BETWEEN, IN, IS and their negations', () => {
    expect(where('a BETWEEN 1 AND 5 AND b NOT IN [1, 2]')).toBe('((a BETWEEN 1 AND 5) AND (b NOT IN [1, 2]))');
    expect(where('a IS NOT MISSING AND b IS null')).toBe('((a IS NOT MISSING) AND (b IS NULL))');
    expect(where('a NOT BETWEEN ? AND ?')).toBe('(a NOT BETWEEN ?0 AND ?1)');
    expect(where(`n IN ('a', 'b')`)).toBe(`(n IN ('a', 'b'))`);
    expect(where(`n IN ('a')`)).toBe(`(n IN ('a'))`);
  });

  it('reads != as <>', () => {
    expect(where('a != 1')).toBe('(a <> 1)');
  });

  it('folds signs into number literals', () => {
    expect(where('n = - - 1')).toBe('(n = 1)');
    expect(where('n > -/* c */-1')).toBe('(n > 1)');
    expect(where('n > -.5')).toBe('(n > -.5)');
    expect(where('n > -m')).toBe('(n > (-m))');
  });

  it('reads paths with names, quoted names, indexes and string steps', () => {
    expect(where(`a.b[0]."c d"['e'] = 1`)).toBe(`(a.b[0].c d['e'] = 1)`);
    expect(where(`l[-1] = 1`)).toBe(`(l[-1] = 1)`);
  });

  it('reads function calls with lower-cased names, and keywords followed by a parenthesis as calls', () => {
    expect(where(`ATTRIBUTE_EXISTS(a) AND size(b) > 2 AND EXISTS(c)`)).toBe('((attribute_exists(a) AND (size(b) > 2)) AND exists(c))');
  });

  it('reads literals: strings, numbers, booleans, NULL, MISSING, lists, bags and maps', () => {
    expect(show(parseExpression(`[1, 'two', TRUE, null, missing, <<'a', 'b'>>, {'k': [2]}]`))).toBe(
      `[1, 'two', true, NULL, MISSING, <<'a', 'b'>>, {'k': [2]}]`,
    );
  });

  it('numbers parameters in order', () => {
    const parsed = parseStatement(`UPDATE "T" SET a = ?, b = ? WHERE pk = ? AND sk IN [?, ?]`);
    expect(parsed.parameterCount).toBe(5);
    expect(show((parsed.statement as UpdateStatement).where!)).toBe('((pk = ?2) AND (sk IN [?3, ?4]))');
  });
});

describe('PartiQL parser: statements', () => {
  it('reads a SELECT with a projection, an index and ORDER BY', () => {
    const select = parseStatement(`select a, b.c[1] from "T"."I" where pk = 'x' order by sk desc, pk;`).statement as SelectStatement;
    expect(select.items.map((item) => (item.kind === 'expr' ? show(item.expr) : item.kind))).toEqual(['a', 'b.c[1]']);
    expect(show(select.from)).toBe('T.I');
    expect(select.orderBy!.map((o) => [show(o.expr), o.descending])).toEqual([
      ['sk', true],
      ['pk', false],
    ]);
  });

  it('reads SET with commas and repeated SET and REMOVE clauses', () => {
    const update = parseStatement(`UPDATE "T" SET a = 1, b = b + 2 SET c = list_append(c, [3]) REMOVE d.e REMOVE f WHERE pk = 'x' RETURNING MODIFIED NEW *`)
      .statement as UpdateStatement;
    expect(update.operations.map((op) => (op.op === 'set' ? `SET ${show(op.target)}=${show(op.value)}` : `REMOVE ${show(op.target)}`))).toEqual([
      'SET a=1',
      'SET b=(b + 2)',
      'SET c=list_append(c, [3])',
      'REMOVE d.e',
      'REMOVE f',
    ]);
    expect(update.returning).toEqual({ elements: [{ mapping: 'MODIFIED NEW', star: true }] });
  });

  it('reads the FROM-first form of UPDATE', () => {
    const update = parseStatement(`from "T" where pk = 'x' set c = 1 remove b`).statement as UpdateStatement;
    expect(update.kind).toBe('update');
    expect(update.operations.map((op) => op.op)).toEqual(['set', 'remove']);
    expect(show(update.where!)).toBe(`(pk = 'x')`);
  });

  it('reads INSERT, DELETE and EXISTS', () => {
    expect(parseStatement(`INSERT INTO "T" VALUE {'pk': ?}`).statement.kind).toBe('insert');
    expect(parseStatement(`DELETE FROM T WHERE pk = 1 RETURNING ALL OLD *`).statement).toMatchObject({
      kind: 'delete',
      returning: { elements: [{ mapping: 'ALL OLD', star: true }] },
    });
    expect(parseStatement(`EXISTS(SELECT * FROM "T" WHERE pk = 1 AND a = 2)`).statement.kind).toBe('exists');
  });

  it.each([
    ['a token after a SELECT', `SELECT * FROM "T" WHERE pk = 1 foo`, 'Unexpected token after expression'],
    ['a number split from its exponent', `SELECT * FROM "T" WHERE pk = 1 e5`, 'Unexpected token after expression'],
    ['a stray closing parenthesis', `SELECT * FROM "T" WHERE pk = 1)`, 'Unexpected token after expression'],
    ['a token after an INSERT', `INSERT INTO "T" VALUE {'pk': 1} foo`, 'Unexpected token after expression'],
    ['an alias on an INSERT', `INSERT INTO "T" t VALUE {'pk': 'x'}`, 'Unexpected token after expression'],
    ['ORDER BY on a DELETE', `DELETE FROM "T" WHERE pk = 1 ORDER BY pk`, 'Unexpected token after expression'],
    ['ORDER BY ahead of WHERE', `SELECT * FROM "T" ORDER BY pk WHERE pk = 1`, 'Unexpected token after expression'],
    ['REMOVE of two paths at once', `UPDATE "T" REMOVE a, b WHERE pk = 1`, 'Unexpected token after expression'],
    ['a WHERE that breaks off', `SELECT * FROM "T" WHERE`, 'Unexpected term'],
    ['a keyword after a dot', `SELECT * FROM "T" WHERE attribute_exists(m.inner)`, 'Invalid path dot component'],
    ['a reserved word as a name', `SELECT * FROM "T" WHERE key = 1`, 'Unexpected keyword'],
    ['a statement that is not DML', `SELECTT * FROMM "T"`, 'Expected data manipulation'],
    ['an UPDATE without SET or REMOVE', `UPDATE "T" WHERE pk = 1`, 'Expected data manipulation'],
    ['an unclosed list', `SELECT * FROM "T" WHERE a IN [1, 2`, 'Unexpected term'],
  ])('refuses %s', (_label, source, detail) => {
    expect(syntaxDetail(source)).toBe(detail);
  });

  it.each([
    ['an alias on a SELECT', `SELECT * FROM "T" t WHERE pk = 'x'`, 'Aliasing is not supported'],
    ['an AS alias on a SELECT', `SELECT * FROM "T" AS t WHERE pk = 'x'`, 'Aliasing is not supported'],
    ['an alias on an UPDATE', `UPDATE "T" t SET a = 3 WHERE pk = 'x'`, 'Aliasing is not supported'],
    ['an alias on a DELETE', `DELETE FROM "T" t WHERE pk = 'x'`, 'Aliasing is not supported'],
    ['two sources', `SELECT * FROM "T", "U"`, 'Only select from a single table or index is supported.'],
    ['a join', `SELECT * FROM "T" JOIN "U" ON a = b`, 'Only select from a single table or index is supported.'],
    ['GROUP BY', `SELECT * FROM "T" GROUP BY a`, 'Unsupported clause: GROUP BY'],
    ['LIMIT', `SELECT * FROM "T" LIMIT 5`, 'Unsupported clause: LIMIT at 1:25:1'],
    ['DISTINCT', `SELECT DISTINCT a FROM "T"`, 'Unsupported token in expression: DISTINCT'],
  ])('refuses %s with DynamoDB text', (_label, source, message) => {
    expect(refusal(source)).toBe(message);
  });
});

describe('PartiQL literals', () => {
  const value = (source: string) => literalValue(parseExpression(source));
  const error = (source: string): string => {
    try {
      value(source);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected an error');
  };

  it('converts every literal kind to attribute values', () => {
    expect(value(`{'s': 'x', 'n': -1.50, 'b': true, 'z': null, 'l': [1, <<'a'>>], 'ns': <<2, 1>>}`)).toEqual({
      M: { s: { S: 'x' }, n: { N: '-1.5' }, b: { BOOL: true }, z: { NULL: true }, l: { L: [{ N: '1' }, { SS: ['a'] }] }, ns: { NS: ['2', '1'] } },
    });
  });

  it('names the place of a bad number inside a value', () => {
    expect(error(`{'x': 1e126}`)).toBe('Number overflow. Attempting to store a number with magnitude larger than supported range under root.x');
    expect(error(`[1, 1e-131]`)).toBe('Number underflow. Attempting to store a number with magnitude smaller than supported range under root[1]');
  });

  it('refuses bags DynamoDB cannot store', () => {
    expect(error('<<>>')).toBe('Empty bags are not supported');
    expect(error(`<<'x', 'x'>>`)).toBe('One or more parameter values were invalid: Input collection [x, x] contains duplicates.');
    expect(error('<<2, 2.0>>')).toBe('One or more parameter values were invalid: Input collection [2, 2.0] contains duplicates! under root');
    expect(error('<<true>>')).toBe('Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags');
    expect(error(`<<1, 'a'>>`)).toBe('Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags');
  });

  it('refuses parameters and duplicate keys inside a value, pointing at them', () => {
    expect(error(`[?]`)).toBe('Unsupported data type: Parameter under key root[0] at 1:2:1');
    expect(error(`{'k': 1, 'k': 2}`)).toBe('Duplicate keys in tuple. Key: k under root at 1:10:3');
    expect(error(`{1: 2}`)).toBe('Tuple keys must be of type String. Actual type: DECIMAL under root at 1:2:1');
  });

  it('allows 32 levels of nesting and names the 33rd', () => {
    expect(() => value(`${'['.repeat(31)}1${']'.repeat(31)}`)).not.toThrow();
    expect(error(`${'['.repeat(32)}1${']'.repeat(32)}`)).toBe(`Nesting Levels have exceeded supported limits under root${'[0]'.repeat(32)}`);
  });
});
