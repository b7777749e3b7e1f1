import { describe, expect, it } from 'vitest';
import { compile, compileError } from './helpers.js';

const PREFIX = 'Invalid UpdateExpression: ';

function updateError(expression: string, values?: Record<string, unknown>, names?: Record<string, string>): string {
  return compileError({
    UpdateExpression: expression,
    ...(values ? { ExpressionAttributeValues: values } : {}),
    ...(names ? { ExpressionAttributeNames: names } : {}),
  });
}

// Cases from dynalite's test/updateItem.js, which DynamoDB answers this way.
describe('update expression errors', () => {
  it.each([
    [' set #c = :c set abOrt = true ', 'abOrt'],
    [' remove Absolute ', 'Absolute'],
    ['SET a.b[1].name = :c', 'name'],
  ])('reserved word in %j', (expression, word) => {
    expect(updateError(expression, { ':a': { S: 'a' } }, { '#a': 'a' })).toBe(
      `${PREFIX}Attribute name is a reserved keyword; reserved keyword: ${word}`,
    );
  });

  it('unknown function, before repeated sections and undefined placeholders', () => {
    expect(updateError('set #c = if_not_exist(:c) set c = d')).toBe(`${PREFIX}Invalid function name; function: if_not_exist`);
    expect(updateError('set a = LIST_APPEND(b, c)')).toBe(`${PREFIX}Invalid function name; function: LIST_APPEND`);
  });

  it.each([
    ['set a = #c set c = :d', 'SET'],
    ['remove #d set a = b remove e', 'REMOVE'],
    ['add #d :e set a = b add e :f', 'ADD'],
    ['delete #d :e set a = b delete #e :f', 'DELETE'],
  ])('repeated section in %j', (expression, section) => {
    expect(updateError(expression)).toBe(`${PREFIX}The "${section}" section can only be used once in an update expression;`);
  });

  it('undefined names before undefined values, whatever their order', () => {
    expect(updateError('SET #c = if_not_exists(:c)')).toBe(
      `${PREFIX}An expression attribute name used in the document path is not defined; attribute name: #c`,
    );
    expect(updateError('SET a = :v, #b = c')).toBe(
      `${PREFIX}An expression attribute name used in the document path is not defined; attribute name: #b`,
    );
    expect(updateError('SET #a = if_not_exists(:c)', undefined, { '#a': 'a' })).toBe(
      `${PREFIX}An expression attribute value used in expression is not defined; attribute value: :c`,
    );
  });

  it.each([
    ['set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a)', '[c, [1], a]', '[c]'],
    ['set #c[3].#d = a, #c[3] = a', '[c, [3], [3]]', '[c, [3]]'],
    ['set a = b, a = c', '[a]', '[a]'],
    ['set a = b remove a', '[a]', '[a]'],
    ['remove a.b add a :n', '[a, b]', '[a]'],
  ])('overlapping paths in %j', (expression, one, two) => {
    expect(updateError(expression, expression.includes(':n') ? { ':n': { N: '1' } } : undefined, expression.includes('#') ? { '#c': 'c', '#d': '[3]' } : undefined)).toBe(
      `${PREFIX}Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`,
    );
  });

  it.each([
    ['set #c[3].#d = a, #c.#d[3] = if_not_exists(a)', '[c, [3], [3]]', '[c, [3], [3]]'],
    ['remove a.#c set a[1] = #d', '[a, c]', '[a, [1]]'],
  ])('conflicting paths in %j', (expression, one, two) => {
    expect(updateError(expression, undefined, { '#c': 'c', '#d': '[3]' })).toBe(
      `${PREFIX}Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`,
    );
  });

  it('allows sibling paths and distinct list elements', () => {
    expect(compile({ UpdateExpression: 'SET a.b = c, a.c = d, l[0] = e, l[1] = f REMOVE a.d' }).update?.actions).toHaveLength(5);
  });

  it.each([
    ['set b = list_append(:a, a), c = if_not_exists(a) add a.b :a', { S: 'a' }, 'ADD', 'STRING'],
    ['delete a.b :a', { S: 'a' }, 'DELETE', 'STRING'],
    ['add a.b :a', { NULL: true }, 'ADD', 'NULL'],
    ['delete a.b :a', { NULL: true }, 'DELETE', 'NULL'],
    ['add a.b :a', { BOOL: false }, 'ADD', 'BOOLEAN'],
    ['delete a.b :a', { BOOL: false }, 'DELETE', 'BOOLEAN'],
    ['add a.b :a', { B: 'YQ==' }, 'ADD', 'BINARY'],
    ['delete a.b :a', { B: 'YQ==' }, 'DELETE', 'BINARY'],
    ['add a.b :a', { M: { a: { L: [{ N: '1' }] } } }, 'ADD', 'MAP'],
    ['delete a.b :a', { M: { a: { L: [{ N: '1' }] } } }, 'DELETE', 'MAP'],
    ['add a.b :a', { L: [{ N: '1' }] }, 'ADD', 'LIST'],
    ['delete a.b :a', { L: [{ N: '1' }] }, 'DELETE', 'LIST'],
    ['delete a.b :a', { N: '1' }, 'DELETE', 'NUMBER'],
  ])('ADD/DELETE operand type in %j with %j', (expression, value, operator, type) => {
    expect(updateError(expression, { ':a': value })).toBe(
      `${PREFIX}Incorrect operand type for operator or function; operator: ${operator}, operand type: ${type}`,
    );
  });

  it.each(['set a = if_not_exists(c)', 'set a = list_append(c)', 'set a = list_append(b, c, d)'])(
    'wrong number of operands in %j',
    (expression) => {
      const count = expression.split(',').length;
      const name = expression.includes('if_not_exists') ? 'if_not_exists' : 'list_append';
      expect(updateError(expression)).toBe(
        `${PREFIX}Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${count}`,
      );
    },
  );

  it.each(['set a = if_not_exists(:a, c)', 'set a = if_not_exists(if_not_exists(a, b), c)'])(
    'value where a path is needed in %j',
    (expression) => {
      expect(updateError(expression, expression.includes(':a') ? { ':a': { S: 'a' } } : undefined)).toBe(
        `${PREFIX}Operator or function requires a document path; operator or function: if_not_exists`,
      );
    },
  );

  const typed = {
    ':a': { S: 'a' },
    ':b': { N: '1' },
    ':c': { B: 'YQ==' },
    ':d': { BOOL: false },
    ':e': { NULL: true },
    ':f': { SS: ['a'] },
    ':g': { NS: ['1'] },
    ':h': { BS: ['YQ=='] },
    ':i': { M: {} },
    ':j': { L: [] },
  };
  it.each([
    ['set a = list_append(:a, a)', 'list_append', 'S'],
    ['set a = list_append(a, :b)', 'list_append', 'N'],
    ['set a = list_append(:c, a)', 'list_append', 'B'],
    ['set a = list_append(:d, a)', 'list_append', 'BOOL'],
    ['set a = list_append(:e, a)', 'list_append', 'NULL'],
    ['set a = list_append(:f, a)', 'list_append', 'SS'],
    ['set a = list_append(:g, a)', 'list_append', 'NS'],
    ['set a = list_append(:h, a)', 'list_append', 'BS'],
    ['set a = list_append(:i, a)', 'list_append', 'M'],
    ['set a = a + :a', '+', 'S'],
    ['set a = :a + :c', '+', 'S'],
    ['set a = :c + a', '+', 'B'],
    ['set a = a + :d', '+', 'BOOL'],
    ['set a = a + :e', '+', 'NULL'],
    ['set a = a + :f', '+', 'SS'],
    ['set a = a + :g', '+', 'NS'],
    ['set a = a + :h', '+', 'BS'],
    ['set a = a + :i', '+', 'M'],
    ['set a = a + :j', '+', 'L'],
    ['set a = a - :a', '-', 'S'],
    ['set a = :c - a', '-', 'B'],
    ['set a = a - :j', '-', 'L'],
  ])('wrong operand type in %j', (expression, name, type) => {
    const used = Object.fromEntries(Object.entries(typed).filter(([key]) => expression.includes(key)));
    expect(updateError(expression, used)).toBe(
      `${PREFIX}Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`,
    );
  });

  it('checks only literal operands of list_append and arithmetic before applying', () => {
    const request = {
      UpdateExpression: 'SET a = list_append(if_not_exists(a, :s), b), n = if_not_exists(n, :s) + m',
      ExpressionAttributeValues: { ':s': { S: 'x' } },
    };
    expect(compile(request).update?.actions).toHaveLength(2);
  });
});

describe('updates of key attributes', () => {
  it('refuses any action whose path starts at a key attribute, partition key first', () => {
    const keys = { keyAttributeNames: ['a', 'b'] };
    for (const [expression, value] of [
      ['add a.b :a', { N: '1' }],
      ['delete a :a', { NS: ['1'] }],
      ['remove d set b = :a, a = :a', { N: '1' }],
      ['delete b :a remove a', { NS: ['1'] }],
      ['set a = a.b + a[1]', undefined],
    ] as const) {
      expect(compileError({ UpdateExpression: expression, ...(value ? { ExpressionAttributeValues: { ':a': value } } : {}) }, keys)).toBe(
        'One or more parameter values were invalid: Cannot update attribute a. This attribute is part of the key',
      );
    }
    expect(compileError({ UpdateExpression: 'set d[1] = :a add b.b :a', ExpressionAttributeValues: { ':a': { N: '1' } } }, keys)).toBe(
      'One or more parameter values were invalid: Cannot update attribute b. This attribute is part of the key',
    );
    expect(compileError({ AttributeUpdates: { b: { Value: { S: 'x' } } } }, keys)).toBe(
      'One or more parameter values were invalid: Cannot update attribute b. This attribute is part of the key',
    );
  });

  it('allows reading key attributes and writing through a placeholder that names another attribute', () => {
    const keys = { keyAttributeNames: ['pk'] };
    expect(compile({ UpdateExpression: 'SET #p = pk', ExpressionAttributeNames: { '#p': 'copy' } }, keys).update?.actions).toHaveLength(1);
    expect(compileError({ UpdateExpression: 'SET #p = :v', ExpressionAttributeNames: { '#p': 'pk' }, ExpressionAttributeValues: { ':v': { S: 'x' } } }, keys)).toBe(
      'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
    );
  });

  it('checks key attributes after the unused placeholders', () => {
    expect(compileError({ UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': { S: 'x' }, ':w': { S: 'y' } } }, { keyAttributeNames: ['pk'] })).toBe(
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}',
    );
  });
});
