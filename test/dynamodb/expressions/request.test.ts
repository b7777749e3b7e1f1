import { describe, expect, it } from 'vitest';
import { compile, compileError } from './helpers.js';

const S = (s: string) => ({ S: s });

describe('expression and legacy parameters together', () => {
  it('refuses mixing them, listing both kinds in the operation order', () => {
    expect(compileError({ Expected: { pk: { Exists: false } }, ConditionExpression: 'attribute_not_exists(pk)' }, { operation: 'PutItem' })).toBe(
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}',
    );
    expect(
      compileError(
        { Expected: { a: {} }, AttributeUpdates: {}, ExpressionAttributeNames: {}, ExpressionAttributeValues: {}, ConditionExpression: '', UpdateExpression: '' },
        { operation: 'UpdateItem' },
      ),
    ).toBe(
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: {UpdateExpression, ConditionExpression}',
    );
    expect(
      compileError(
        { ScanFilter: {}, AttributesToGet: ['a'], ConditionalOperator: 'OR', FilterExpression: '', ProjectionExpression: '' },
        { operation: 'Scan' },
      ),
    ).toBe(
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet, ScanFilter, ConditionalOperator} Expression parameters: {ProjectionExpression, FilterExpression}',
    );
    expect(compileError({ AttributeUpdates: { a: { Value: S('x'), Action: 'PUT' } }, UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': S('x') } })).toBe(
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}',
    );
  });

  it('lets a Query combine KeyConditions with a FilterExpression, but not with a KeyConditionExpression', () => {
    expect(compile({ KeyConditions: {}, FilterExpression: 'a = :v', ExpressionAttributeValues: { ':v': S('x') } }, { operation: 'Query' }).filter?.kind).toBe('compare');
    expect(compileError({ KeyConditions: {}, KeyConditionExpression: 'a = :v', ExpressionAttributeValues: { ':v': S('x') } }, { operation: 'Query' })).toBe(
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}',
    );
  });

  it('refuses placeholders without an expression that could use them', () => {
    expect(compileError({ Expected: { a: {} }, ExpressionAttributeNames: {}, ExpressionAttributeValues: {} }, { operation: 'PutItem' })).toBe(
      'ExpressionAttributeNames can only be specified when using expressions',
    );
    expect(compileError({ ExpressionAttributeNames: { '#s': 'status' } }, { operation: 'UpdateItem' })).toBe(
      'ExpressionAttributeNames can only be specified when using expressions',
    );
    expect(compileError({ Expected: { a: {} }, ExpressionAttributeValues: {} }, { operation: 'PutItem' })).toBe(
      'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
    );
    expect(compileError({ ExpressionAttributeValues: { ':v': S('x') } }, { operation: 'DeleteItem' })).toBe(
      'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
    );
    expect(compileError({ Expected: { a: {} }, ExpressionAttributeValues: {} }, { operation: 'UpdateItem' })).toBe(
      'ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null',
    );
    expect(compileError({ ProjectionExpression: 'a', ExpressionAttributeValues: { ':v': S('x') } }, { operation: 'Scan' })).toBe(
      'ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null',
    );
    expect(compileError({ ExpressionAttributeValues: { ':v': S('x') } }, { operation: 'Query' })).toBe(
      'ExpressionAttributeValues can only be specified when using expressions: FilterExpression and KeyConditionExpression are null',
    );
  });

  it('names no missing expression for the item writes answered by the newer front end', () => {
    for (const operation of ['PutItem', 'UpdateItem', 'DeleteItem'] as const) {
      expect(compileError({ ExpressionAttributeValues: { ':v': S('x') } }, { operation, newerFrontEnd: true })).toBe(
        'ExpressionAttributeValues can only be specified when using expressions',
      );
    }
  });

  it('guesses the operation from the request when not told', () => {
    expect(compileError({ AttributeUpdates: {}, ExpressionAttributeValues: { ':v': S('x') } })).toBe(
      'ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null',
    );
    expect(compileError({ ExpressionAttributeValues: { ':v': S('x') } })).toBe(
      'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
    );
  });
});

describe('ExpressionAttributeNames and ExpressionAttributeValues', () => {
  it('refuses empty maps and keys that are not placeholders', () => {
    expect(compileError({ ConditionExpression: 'a = :v', ExpressionAttributeNames: {} })).toBe('ExpressionAttributeNames must not be empty');
    expect(compileError({ ConditionExpression: 'a = :v', ExpressionAttributeNames: { a: 'a' } })).toBe(
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"',
    );
    expect(compileError({ ConditionExpression: 'a = :v', ExpressionAttributeNames: { '#sryLiyD8D-': 'a' } })).toBe(
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "#sryLiyD8D-"',
    );
    expect(compileError({ ConditionExpression: 'a = :v', ExpressionAttributeValues: {} })).toBe('ExpressionAttributeValues must not be empty');
    expect(compileError({ ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':b': S('a'), b: S('a') } })).toBe(
      'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"',
    );
  });

  it('validates each value, naming its key in the older value layer', () => {
    const older = { valueLayer: 'older' } as const;
    expect(compileError({ ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':b': { S: 'a', N: '1' } } }, older)).toBe(
      'ExpressionAttributeValues contains invalid value: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes for key :b',
    );
    expect(compileError({ ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':b': { SS: [] } } }, older)).toBe(
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :b',
    );
    expect(compileError({ ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':b': { N: 'b' } } }, older)).toBe(
      'ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: b for key :b',
    );
  });

  it('reports a bad value as it is in the current value layer, without naming its key', () => {
    expect(compileError({ ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':b': { N: '' } } })).toBe(
      'The parameter cannot be converted to a numeric value: ',
    );
    expect(compileError({ ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':b': { SS: ['b', 'a', 'b'] } } })).toBe(
      'One or more parameter values were invalid: Input collection ["a", "b", "b"] contains duplicates.',
    );
    expect(compileError({ Expected: { a: { Value: { NS: ['2', '1', '2'] } } } }, { operation: 'PutItem' })).toBe(
      'One or more parameter values were invalid: Input collection contains duplicates.',
    );
    expect(compileError({ AttributeUpdates: { a: { Action: 'PUT', Value: { N: '1e126' } } } }, { operation: 'UpdateItem' })).toBe(
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    );
  });

  it('uses the values in DynamoDB’s canonical form', () => {
    expect(compile({ ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':b': { N: '1.50' } } }).condition).toEqual({
      kind: 'compare',
      op: '=',
      left: { kind: 'path', path: ['a'] },
      right: { kind: 'value', value: { N: '1.5' } },
    });
  });

  it('shares placeholders between the expressions of a request and reports the unused ones', () => {
    const compiled = compile({
      UpdateExpression: 'SET #a = :v',
      ConditionExpression: '#a <> :v AND #b = :w',
      ExpressionAttributeNames: { '#a': 'a', '#b': 'b' },
      ExpressionAttributeValues: { ':v': S('x'), ':w': S('y') },
    });
    expect(compiled.update?.actions).toHaveLength(1);
    expect(compiled.condition?.kind).toBe('and');
    expect(
      compileError({
        UpdateExpression: 'remove a set b = list_append(b, if_not_exists(a, :a))',
        ConditionExpression: 'a = :b',
        ExpressionAttributeValues: { ':a': S('a'), ':b': S('a') },
        ExpressionAttributeNames: { '#a': 'a', '#b': 'b' },
      }),
    ).toBe('Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}');
    expect(
      compileError({
        UpdateExpression: 'remove a',
        ConditionExpression: 'a = :b',
        ExpressionAttributeValues: { ':a': S('a'), ':b': S('a'), ':c': S('a') },
      }),
    ).toBe('Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :c}');
    expect(compileError({ ProjectionExpression: 'a', ExpressionAttributeNames: { '#a': 'a', '#b': 'b' } }, { operation: 'GetItem' })).toBe(
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}',
    );
  });
});

describe('the order DynamoDB checks a request in', () => {
  it('mixing, then names, then values, then each expression, then unused placeholders', () => {
    expect(compileError({ Expected: { a: {} }, ConditionExpression: 'x', ExpressionAttributeNames: {} })).toMatch(/^Can not use both/);
    expect(compileError({ ConditionExpression: '', ExpressionAttributeNames: { a: 'a' }, ExpressionAttributeValues: {} })).toBe(
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"',
    );
    expect(compileError({ ConditionExpression: '', ExpressionAttributeValues: { ':a': { S: 'a', N: '1' }, b: S('x') } })).toBe(
      'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"',
    );
    expect(compileError({ ConditionExpression: '', ExpressionAttributeValues: { ':a': { SS: [] } } }, { valueLayer: 'older' })).toMatch(
      /^ExpressionAttributeValues contains invalid value/,
    );
    expect(compileError({ ConditionExpression: '', ExpressionAttributeValues: { ':a': { SS: [] } } })).toBe(
      'One or more parameter values were invalid: An string set  may not be empty',
    );
  });

  it('checks the names before the emptiness of an expression', () => {
    expect(compileError({ ProjectionExpression: '', ExpressionAttributeNames: {} }, { operation: 'GetItem' })).toBe(
      'ExpressionAttributeNames must not be empty',
    );
    expect(compileError({ ExpressionAttributeNames: {} }, { operation: 'GetItem' })).toBe(
      'ExpressionAttributeNames can only be specified when using expressions',
    );
  });

  it('checks UpdateExpression, ConditionExpression, KeyConditionExpression, FilterExpression, ProjectionExpression in turn', () => {
    expect(compileError({ UpdateExpression: '', ConditionExpression: '' })).toBe('Invalid UpdateExpression: The expression can not be empty;');
    expect(compileError({ UpdateExpression: 'SET a = b', ConditionExpression: 'a =' })).toBe(
      'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "="',
    );
    expect(
      compileError({ KeyConditionExpression: 'a', FilterExpression: 'b', ProjectionExpression: 'c,' }, { operation: 'Query' }),
    ).toMatch(/^Invalid KeyConditionExpression:/);
    expect(compileError({ FilterExpression: 'b', ProjectionExpression: 'c,' }, { operation: 'Scan' })).toMatch(/^Invalid FilterExpression:/);
  });

  it('reports an unused placeholder only when every expression is valid', () => {
    expect(compileError({ ConditionExpression: 'a = :x', ExpressionAttributeValues: { ':y': S('y') } })).toBe(
      'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :x',
    );
    expect(compileError({ ConditionExpression: 'a = :y', ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ':y': S('y'), ':z': S('z') } })).toBe(
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}',
    );
  });

  it('compiles every expression a request has', () => {
    const compiled = compile(
      {
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        FilterExpression: 'attribute_exists(#x)',
        ProjectionExpression: '#x, sk',
        ExpressionAttributeNames: { '#x': 'x' },
        ExpressionAttributeValues: { ':p': S('p'), ':s': S('s') },
      },
      { operation: 'Query' },
    );
    expect(Object.keys(compiled).sort()).toEqual(['filter', 'keyCondition', 'projection']);
    expect(compiled.projection?.paths).toEqual([['x'], ['sk']]);
  });
});
