import { describe, expect, it } from 'vitest';
import { compile, compileError } from './helpers.js';

/** The FilterExpression error for `expression`, with the given values and names. */
function filterError(expression: string, values?: Record<string, unknown>, names?: Record<string, string>): string {
  return compileError({
    FilterExpression: expression,
    ...(values ? { ExpressionAttributeValues: values } : {}),
    ...(names ? { ExpressionAttributeNames: names } : {}),
  });
}

const PREFIX = 'Invalid FilterExpression: ';

// Cases from dynalite's test/scan.js, which DynamoDB answers this way.
describe('condition errors', () => {
  it.each([
    ['a=a and whatever((:things)) > a', 'whatever'],
    ['attRIbute_exIsts((views), #a)', 'attRIbute_exIsts'],
    ['a < f(g(b))', 'g'],
  ])('unknown function in %j', (expression, name) => {
    expect(filterError(expression)).toBe(`${PREFIX}Invalid function name; function: ${name}`);
  });

  it.each([
    ['a=a and attribute_exists((views), (#a)) > b', 'attribute_exists'],
    ['attribute_not_exists(things) > b', 'attribute_not_exists'],
    ['attribute_type(things, :a) > b', 'attribute_type'],
    ['begins_with(things, a) > b', 'begins_with'],
    ['contains(:things, c) > b', 'contains'],
    ['size(contains(a, b)) > a', 'contains'],
    ['size(things)', 'size'],
    ['NOT size(things)', 'size'],
    ['(size(things)) AND a = b', 'size'],
    ['a between b and attribute_exists(things)', 'attribute_exists'],
    ['a in (b, attribute_exists(things))', 'attribute_exists'],
    ['size(a) AND a = contains(b, c)', 'contains'],
  ])('function used this way in %j', (expression, name) => {
    expect(filterError(expression)).toBe(`${PREFIX}The function is not allowed to be used this way in an expression; function: ${name}`);
  });

  it.each([
    ['attribute_exists(views, #a)', 'views'],
    [':a < abOrT', 'abOrT'],
    ['a.b.status = :a', 'status'],
    ['size(#a.data) > :a AND c = Size', 'data'],
  ])('reserved word in %j', (expression, word) => {
    expect(filterError(expression)).toBe(`${PREFIX}Attribute name is a reserved keyword; reserved keyword: ${word}`);
  });

  it.each([
    ['attribute_exists(#Pictures.RearView, :a) and a=a', '#Pictures'],
    ['begins_with(Pictures.#RearView)', '#RearView'],
    ['(#P between :lo and :hi) and (#PC in (:cat1, :cat2))', '#P'],
    ['#4g > a', '#4g'],
    ['#_ > a', '#_'],
    ['(a)between(b.c[45].#d)and(:a)', '#d'],
  ])('undefined name in %j', (expression, name) => {
    expect(filterError(expression)).toBe(`${PREFIX}An expression attribute name used in the document path is not defined; attribute name: ${name}`);
  });

  it.each([
    ['begins_with(:hello, #a, #b)', ':hello'],
    [':a < :b', ':a'],
    [':_ > a', ':_'],
  ])('undefined value in %j', (expression, name) => {
    expect(filterError(expression)).toBe(`${PREFIX}An expression attribute value used in expression is not defined; attribute value: ${name}`);
  });

  it.each([
    ['attribute_exists(things, a) and a=a', 'attribute_exists', 2],
    ['attribute_not_exists(things, b)', 'attribute_not_exists', 2],
    ['attribute_type(things)', 'attribute_type', 1],
    ['begins_with(things)', 'begins_with', 1],
    ['begins_with(things, size(a), b)', 'begins_with', 3],
    ['contains(things)', 'contains', 1],
    ['size(things, a) > b', 'size', 2],
  ])('wrong number of operands in %j', (expression, name, count) => {
    expect(filterError(expression)).toBe(
      `${PREFIX}Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${count}`,
    );
  });

  it.each([
    ['attribute_type(a, size(a)) and a=a and a=:a', 'attribute_type', { N: '1' }],
    ['attribute_type(a, :a)', 'attribute_type', { N: '1' }],
    ['attribute_type(a, :a)', 'attribute_type', { B: 'YQ==' }],
    ['attribute_type(a, :a)', 'attribute_type', { BOOL: true }],
    ['attribute_type(a, :a)', 'attribute_type', { NULL: true }],
    ['attribute_type(a, :a)', 'attribute_type', { L: [] }],
    ['attribute_type(a, :a)', 'attribute_type', { M: {} }],
    ['attribute_type(a, :a)', 'attribute_type', { SS: ['1'] }],
    ['attribute_type(a, :a)', 'attribute_type', { NS: ['1'] }],
    ['attribute_type(a, :a)', 'attribute_type', { BS: ['YQ=='] }],
    ['begins_with(a, size(a)) and a=:a', 'begins_with', { N: '1' }],
    ['begins_with(a, :a)', 'begins_with', { N: '1' }],
    ['begins_with(a, :a)', 'begins_with', { BOOL: true }],
    ['begins_with(a, :a)', 'begins_with', { NULL: true }],
    ['begins_with(a, :a)', 'begins_with', { L: [] }],
    ['begins_with(a, :a)', 'begins_with', { M: {} }],
    ['begins_with(a, :a)', 'begins_with', { SS: ['1'] }],
    ['begins_with(a, :a)', 'begins_with', { NS: ['1'] }],
    ['begins_with(a, :a)', 'begins_with', { BS: ['YQ=='] }],
    ['begins_with(:a, a)', 'begins_with', { N: '1' }],
    ['begins_with(:a, a)', 'begins_with', { M: {} }],
    ['size(size(a)) > :a', 'size', { N: '1' }],
    ['attribute_not_exists(size(:a))', 'size', { N: '1' }],
    ['size(:a) > a', 'size', { BOOL: true }],
    ['size(:a) > a', 'size', { NULL: true }],
  ])('wrong operand type in %j with %j', (expression, name, value) => {
    expect(filterError(expression, { ':a': value })).toBe(
      `${PREFIX}Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${Object.keys(value)[0]}`,
    );
  });

  it('attribute_type needs a value for its type, and a valid type name', () => {
    expect(filterError('attribute_type(a, b)')).toBe(
      `${PREFIX}Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}`,
    );
    expect(filterError('attribute_type(a, :a)', { ':a': { S: 'DOG' } })).toBe(
      `${PREFIX}Invalid attribute type name found; type: DOG, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`,
    );
  });

  it.each([
    ['attribute_exists(:a) and a=a', 'attribute_exists'],
    ['attribute_not_exists(size(:a))', 'attribute_not_exists'],
  ])('value where a path is needed in %j', (expression, name) => {
    expect(filterError(expression, { ':a': { S: '1' } })).toBe(
      `${PREFIX}Operator or function requires a document path; operator or function: ${name}`,
    );
  });

  it.each([
    ['a = a AND #a = b AND :views > a', '=', '[a]'],
    ['#a <> a', '<>', '[a]'],
    ['a > #a', '>', '[a]'],
    ['((a=a) OR (a=a))', '=', '[a]'],
    ['((a=a) AND (a=a))', '=', '[a]'],
    ['contains(ab.bc[1].a, ab.bc[1].#a)', 'contains', '[ab, bc, [1], a]'],
    ['attribute_type(ab.bc[1].#a, ab.bc[1].a)', 'attribute_type', '[ab, bc, [1], a]'],
    ['begins_with(ab.bc[1].a, ab.bc[1].#a)', 'begins_with', '[ab, bc, [1], a]'],
  ])('same path on both sides in %j', (expression, operator, path) => {
    expect(filterError(expression, expression.includes(':views') ? { ':views': { S: 'x' } } : undefined, { '#a': 'a' })).toBe(
      `${PREFIX}The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${path}`,
    );
  });

  it('allows the same value on both sides and different paths', () => {
    expect(compile({ FilterExpression: ':a > :a', ExpressionAttributeValues: { ':a': { N: '1' } } }).filter?.kind).toBe('compare');
    expect(compile({ FilterExpression: 'a[0] = a[1]' }).filter?.kind).toBe('compare');
    expect(compile({ FilterExpression: 'a.b = a.c' }).filter?.kind).toBe('compare');
  });
});

describe('which condition error DynamoDB reports first', () => {
  it('redundant parentheses, then unknown function, then misuse, then reserved word', () => {
    expect(filterError('a > whatever((:things), ((a)))')).toBe(`${PREFIX}The expression has redundant parentheses;`);
    expect(filterError('attribute_exists(a) > f(b)')).toBe(`${PREFIX}Invalid function name; function: f`);
    expect(filterError('attribute_exists(views) > b')).toBe(
      `${PREFIX}The function is not allowed to be used this way in an expression; function: attribute_exists`,
    );
    expect(filterError('begins_with(#undefined) AND views = :undefined')).toBe(
      `${PREFIX}Attribute name is a reserved keyword; reserved keyword: views`,
    );
  });

  it('then the errors of the first comparison that has any', () => {
    expect(filterError('begins_with(a) AND #x = b')).toBe(
      `${PREFIX}Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1`,
    );
    expect(filterError('#x = b AND begins_with(a)')).toBe(
      `${PREFIX}An expression attribute name used in the document path is not defined; attribute name: #x`,
    );
    expect(filterError('a = a AND begins_with(b, :n)', { ':n': { N: '1' } })).toBe(
      `${PREFIX}The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]`,
    );
    // Within one comparison: undefined placeholder, operand count, same path, operand type.
    expect(filterError('begins_with(a, :x, b) AND c = :n', { ':n': { N: '1' } })).toBe(
      `${PREFIX}An expression attribute value used in expression is not defined; attribute value: :x`,
    );
  });

  it('reports under the name of the expression that has the error', () => {
    expect(compileError({ KeyConditionExpression: 'a = :x' })).toBe(
      'Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :x',
    );
    expect(compileError({ ConditionExpression: 'size(a)' })).toBe(
      'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size',
    );
  });
});
