import { describe, expect, it } from 'vitest';
import { compile, compileError, values } from './helpers.js';

const N = (n: string) => ({ N: n });
const S = (s: string) => ({ S: s });

describe('syntax errors', () => {
  // Messages DynamoDB returned for these expressions (see the report for sources).
  it.each([
    ['UpdateExpression', 'INVALID SYNTAX HERE', {}, 'token: "INVALID", near: "INVALID SYNTAX"'],
    ['UpdateExpression', 'ADD hits : incr', { ':incr': N('1') }, 'token: ":", near: "hits : incr"'],
    ['UpdateExpression', 'SET _123 = :val1', { ':val1': N('1') }, 'token: "_", near: "SET _123"'],
    ['UpdateExpression', 'SET a = numx / :v', { ':v': N('1') }, 'token: "/", near: "numx / :v"'],
    ['UpdateExpression', 'SET', {}, 'token: "<EOF>", near: "SET"'],
    ['UpdateExpression', 'SET #a, #b = :v', { ':v': N('1') }, 'token: ",", near: "#a, #b"'],
    ['UpdateExpression', 'SET a = :v, #, b = :v', { ':v': N('1') }, 'token: "#", near: ", #,"'],
    ['UpdateExpression', 'SET a = :v, b = :v,', { ':v': N('1') }, 'token: "<EOF>", near: ","'],
    ['ConditionExpression', 'foo', {}, 'token: "<EOF>", near: "foo"'],
    ['KeyConditionExpression', 'pk = :type', { ':type': S('x') }, undefined],
    ['KeyConditionExpression', '[object Object]', {}, 'token: "[", near: "[object"'],
    ['ProjectionExpression', 'a,', undefined, 'token: "<EOF>", near: ","'],
    ['ProjectionExpression', 'a b', undefined, 'token: "b", near: "a b"'],
    ['ProjectionExpression', '!!!', undefined, 'token: "!", near: "!!"'],
  ] as const)('%s %j', (kind, expression, placeholders, expected) => {
    const request = { [kind]: expression, ...(placeholders && Object.keys(placeholders).length ? { ExpressionAttributeValues: placeholders } : {}) };
    if (expected === undefined) {
      expect(() => compile(request)).not.toThrow();
    } else {
      expect(compileError(request)).toBe(`Invalid ${kind}: Syntax error; ${expected}`);
    }
  });

  it('reports the end of the expression with the text from the token before it', () => {
    expect(compileError({ KeyConditionExpression: 'pk = ' })).toBe(
      'Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "= "',
    );
    expect(compileError({ ConditionExpression: 'a =' })).toBe('Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "="');
  });

  it('reports the furthest token any reading of the expression reached', () => {
    expect(compileError({ ConditionExpression: 'a = = b' })).toBe(
      'Invalid ConditionExpression: Syntax error; token: "=", near: "= = b"',
    );
    expect(compileError({ ConditionExpression: 'a in b' })).toBe('Invalid ConditionExpression: Syntax error; token: "b", near: "in b"');
    expect(compileError({ UpdateExpression: 'SET a = b + c + d' })).toBe(
      'Invalid UpdateExpression: Syntax error; token: "+", near: "c + d"',
    );
  });

  it('treats a character outside the grammar, even beyond the BMP, as one token', () => {
    expect(compileError({ ConditionExpression: 'ü > a' })).toBe('Invalid ConditionExpression: Syntax error; token: "ü", near: "ü >"');
    expect(compileError({ ConditionExpression: 'a > 𝄞' })).toBe('Invalid ConditionExpression: Syntax error; token: "𝄞", near: "> 𝄞"');
  });

  // dynalite's test/updateItem.js: each of these is a syntax error in DynamoDB.
  it.each([
    'whatever',
    'set a',
    'add a',
    'delete a',
    'set a=set',
    'remove a = b',
    'add a = b',
    'delete a = b',
    'delete a b',
    'delete a if_not_exist(b)',
    'add abort b',
    'add a if_not_exist(b)',
    'remove a b',
    'set a b',
    'set :a = b',
    'add :a b',
    'delete :a b',
    'remove :a',
    'set a = b / c',
    'set a = b * c',
    'set a[1] = "eight"',
    'set a[1] = 1',
    'SET a = if_not_exist(a, 100)',
    'SET if_not_exist(a, b) = a',
    'set (a = (b + c))',
    'set a = (b.c).d + e',
    'set a = (b.c)[0] + e',
    'set a = b + c + d',
    'set a = (((b)))',
    'SET a = list_append(b + c, d)',
  ])('UpdateExpression %j', (expression) => {
    expect(compileError({ UpdateExpression: expression })).toMatch(/^Invalid UpdateExpression: Syntax error; token: "/);
  });

  // dynalite's test/scan.js: each of these is a syntax error in DynamoDB.
  it.each([
    'things are not gonna be ok',
    'a > 4',
    'attribute_exists(Pictures-RearView)',
    'attribute_exists("Pictures.RearView")',
    'attribute_exists(Pictures..RearView)',
    'attribute_exists(Pi#ctures.RearView)',
    'attribute_exists(asdf[a])',
    'attribute_not_exists(_c)',
    'attribute_not_exists(c._d)',
    'a in b, c',
    'a > between',
    'a in b',
    'a in (b,c,)',
    'a in ()',
    '(a)between(b.(c.d))and(c)',
    '(a)between(b.c.d)and((c)',
    '#$.b > a',
    'a > :things.stuff',
    'b[:a] > a',
    'b[#_] > a',
    '(a)between(b.c[4.5].#d)and(:a)',
    'size(a).b > a',
    '(size(a)).b > a',
    'size(a)[0] > a',
    '(size(a))[0] > a',
    'a = b c',
    'AND a = b',
  ])('ConditionExpression %j', (expression) => {
    expect(compileError({ ConditionExpression: expression })).toMatch(/^Invalid ConditionExpression: Syntax error; token: "/);
  });

  it('accepts keywords in any case and placeholders made of word characters', () => {
    const request = {
      ConditionExpression: 'NOT #_1 BeTwEeN :_a AND :B2 oR #x In (:_a) aNd attribute_exists(#x)',
      ExpressionAttributeNames: { '#_1': 'a', '#x': 'x' },
      ExpressionAttributeValues: { ':_a': N('1'), ':B2': N('2') },
    };
    expect(compile(request).condition?.kind).toBe('or');
    expect(compile({ UpdateExpression: 'set a = :v0 REMOVE b Add c :v0 delete d :v1', ExpressionAttributeValues: values(N('1'), { NS: ['1'] }) }).update?.actions.map((a) => a.action)).toEqual(['SET', 'REMOVE', 'ADD', 'DELETE']);
  });

  it('allows whitespace, including newlines, between all tokens', () => {
    const condition = compile({ ConditionExpression: ' a\n[ 1 ]\t. b\r\n=\n:v0 ', ExpressionAttributeValues: values(N('1')) }).condition;
    expect(condition).toEqual({ kind: 'compare', op: '=', left: { kind: 'path', path: ['a', 1, 'b'] }, right: { kind: 'value', value: N('1') } });
  });
});

describe('structure and precedence of conditions', () => {
  const v = values(N('1'));
  const cmp = (name: string) => ({ kind: 'compare', op: '=', left: { kind: 'path', path: [name] }, right: { kind: 'value', value: N('1') } });

  it('binds AND tighter than OR', () => {
    expect(compile({ ConditionExpression: 'a = :v0 OR b = :v0 AND c = :v0', ExpressionAttributeValues: v }).condition).toEqual({
      kind: 'or',
      left: cmp('a'),
      right: { kind: 'and', left: cmp('b'), right: cmp('c') },
    });
    expect(compile({ ConditionExpression: 'a = :v0 AND b = :v0 OR c = :v0', ExpressionAttributeValues: v }).condition).toEqual({
      kind: 'or',
      left: { kind: 'and', left: cmp('a'), right: cmp('b') },
      right: cmp('c'),
    });
  });

  it('binds NOT tighter than AND, and allows NOT NOT', () => {
    expect(compile({ ConditionExpression: 'NOT a = :v0 AND b = :v0', ExpressionAttributeValues: v }).condition).toEqual({
      kind: 'and',
      left: { kind: 'not', condition: cmp('a') },
      right: cmp('b'),
    });
    expect(compile({ ConditionExpression: 'NOT NOT a = :v0', ExpressionAttributeValues: v }).condition).toEqual({
      kind: 'not',
      condition: { kind: 'not', condition: cmp('a') },
    });
  });

  it('lets parentheses group conditions', () => {
    expect(compile({ ConditionExpression: '(a = :v0 OR b = :v0) AND c = :v0', ExpressionAttributeValues: v }).condition).toEqual({
      kind: 'and',
      left: { kind: 'or', left: cmp('a'), right: cmp('b') },
      right: cmp('c'),
    });
    expect(compile({ ConditionExpression: 'NOT (a = :v0 OR b = :v0)', ExpressionAttributeValues: v }).condition).toEqual({
      kind: 'not',
      condition: { kind: 'or', left: cmp('a'), right: cmp('b') },
    });
  });

  it('reads BETWEEN ... AND before the logical AND', () => {
    expect(compile({ ConditionExpression: 'a BETWEEN :v0 AND :v0 AND b = :v0', ExpressionAttributeValues: v }).condition).toEqual({
      kind: 'and',
      left: { kind: 'between', operand: { kind: 'path', path: ['a'] }, low: { kind: 'value', value: N('1') }, high: { kind: 'value', value: N('1') } },
      right: cmp('b'),
    });
  });

  it('accepts one pair of parentheses around an operand, and parenthesized paths inside it', () => {
    expect(compile({ ConditionExpression: '(a) = (:v0)', ExpressionAttributeValues: v }).condition).toEqual(cmp('a'));
    expect(compile({ ConditionExpression: '((a).b) = :v0', ExpressionAttributeValues: v }).condition).toEqual({
      ...cmp('a'),
      left: { kind: 'path', path: ['a', 'b'] },
    });
    // The parentheses are taken as the operand's, so a path cannot continue after them.
    expect(compileError({ ConditionExpression: '(a.b).c = :v0', ExpressionAttributeValues: v })).toBe(
      'Invalid ConditionExpression: Syntax error; token: ".", near: ").c"',
    );
    expect(compile({ ConditionExpression: '(attribute_not_exists(pk)) AND (attribute_not_exists(#s))', ExpressionAttributeNames: { '#s': 'status' } }).condition?.kind).toBe('and');
    expect(compile({ ConditionExpression: '(attribute_not_exists(pk) AND (attribute_not_exists(#s)))', ExpressionAttributeNames: { '#s': 'status' } }).condition?.kind).toBe('and');
  });

  it('accepts parentheses around an update value and its operands', () => {
    const update = compile({ UpdateExpression: 'set a = ((b.c.d)+(e))' }).update;
    expect(update?.actions[0]).toEqual({
      action: 'SET',
      path: ['a'],
      value: { kind: 'plus', left: { kind: 'path', path: ['b', 'c', 'd'] }, right: { kind: 'path', path: ['e'] } },
    });
  });
});

describe('redundant parentheses', () => {
  it.each([
    '((attribute_not_exists(pk)))',
    'a=a and a > ((views))',
    '(a)between(((b.c)).d)and(c)',
    'a > whatever((:things), ((a)))',
    'a=a AND ((a=a AND a=a)) AND a=a',
    'a=a OR ((a=a OR a=a)) OR a=a',
    'a=a AND ((a=a AND (a=a AND a=a)))',
    'a=a OR ((a=a OR (a=a OR a=a)))',
  ])('%j', (expression) => {
    expect(compileError({ FilterExpression: expression, ExpressionAttributeValues: values(N('1')) })).toBe(
      'Invalid FilterExpression: The expression has redundant parentheses;',
    );
  });
});

describe('limits', () => {
  it('rejects an expression over 4 KB, counted in UTF-8 bytes, before parsing it', () => {
    const spaces = ' '.repeat(4086);
    expect(() => compile({ UpdateExpression: `SET${spaces}a = :v0`, ExpressionAttributeValues: values(N('1')) })).not.toThrow();
    expect(compileError({ UpdateExpression: `SET ${spaces}a = :v0`, ExpressionAttributeValues: values(N('1')) })).toBe(
      'Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;',
    );
    expect(compileError({ ConditionExpression: '('.repeat(15000) })).toBe(
      'Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 15000',
    );
    expect(compileError({ ProjectionExpression: 'é'.repeat(2049) })).toBe(
      'Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; expression size: 4098',
    );
  });

  it('rejects more than 300 operators, reporting 301; functions are not operators', () => {
    const v = values(N('1'));
    const chain = (n: number) => Array.from({ length: n }, () => 'a < :v0').join(' OR ');
    expect(() => compile({ ConditionExpression: chain(150), ExpressionAttributeValues: v })).not.toThrow();
    expect(compileError({ ConditionExpression: chain(151), ExpressionAttributeValues: v })).toBe(
      'Invalid ConditionExpression: The expression contains too many operators; operator count: 301',
    );
    expect(compileError({ ConditionExpression: `${'not '.repeat(1000)}a < :v0`, ExpressionAttributeValues: v })).toBe(
      'Invalid ConditionExpression: The expression contains too many operators; operator count: 301',
    );
    // 150 comparisons and 149 ORs; the 150 size() calls do not count.
    const sizes = Array.from({ length: 150 }, () => 'size(a) < :v0').join(' OR ');
    expect(() => compile({ FilterExpression: sizes, ExpressionAttributeValues: v })).not.toThrow();
  });

  it('parses the deepest nesting 4 KB allows without exhausting the stack', () => {
    expect(compileError({ ConditionExpression: `${'('.repeat(2046)}a<b${')'.repeat(2046)}` })).toBe(
      'Invalid ConditionExpression: The expression has redundant parentheses;',
    );
    expect(compileError({ ConditionExpression: `a < ${'f('.repeat(1355)}b${')'.repeat(1355)}` })).toBe(
      'Invalid ConditionExpression: Invalid function name; function: f',
    );
    expect(compileError({ ConditionExpression: `a < ${'size('.repeat(680)}b${')'.repeat(680)}` })).toBe(
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N',
    );
    expect(compileError({ ConditionExpression: '('.repeat(4096) })).toBe(
      'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("',
    );
    expect(compileError({ UpdateExpression: `SET a = ${'f('.repeat(1360)}b${')'.repeat(1360)}` })).toBe(
      'Invalid UpdateExpression: Invalid function name; function: f',
    );
    const deepPath = `(${'('.repeat(1000)}a${').b'.repeat(1000)}) = :v0`;
    const condition = compile({ ConditionExpression: deepPath, ExpressionAttributeValues: values(N('1')) }).condition;
    expect(condition?.kind === 'compare' && condition.left.kind === 'path' && condition.left.path.length).toBe(1001);
  });

  it('rejects an empty expression of each kind', () => {
    for (const kind of ['ConditionExpression', 'UpdateExpression', 'ProjectionExpression', 'FilterExpression', 'KeyConditionExpression']) {
      expect(compileError({ [kind]: '' })).toBe(`Invalid ${kind}: The expression can not be empty;`);
    }
  });

  it('reports an expression of blanks as a syntax error at its end', () => {
    expect(compileError({ ConditionExpression: '   ' })).toBe('Invalid ConditionExpression: Syntax error; token: "<EOF>", near: ""');
  });
});
