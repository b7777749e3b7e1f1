import { describe, it, expect } from 'vitest';
import {
  validateAttributeValue,
  validateIndexKeyAttribute,
  validateItem,
  validateKeyAttribute,
  validateSizedItem,
} from '../../../src/dynamodb/values/validate.js';
import { itemSize } from '../../../src/dynamodb/values/size.js';
import { AwsError } from '../../../src/edge/errors.js';

function errorOf(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AwsError);
    return e as AwsError;
  }
  throw new Error('expected an AwsError');
}

function expectError(fn: () => unknown, code: string, message: string): void {
  const error = errorOf(fn);
  expect({ code: error.code, message: error.message, status: error.status }).toEqual({ code, message, status: 400 });
}

const expectSerialization = (value: unknown, message: string) =>
  expectError(() => validateAttributeValue(value), 'SerializationException', message);
const expectValidation = (value: unknown, message: string) =>
  expectError(() => validateAttributeValue(value), 'ValidationException', message);

/** Parses like the server does, so the tests see exactly what JSON can produce. */
const json = (text: string): unknown => JSON.parse(text);

const INVALID = 'One or more parameter values were invalid: ';

describe('validateAttributeValue: accepted values', () => {
  it('returns every type unchanged when already canonical', () => {
    const values = [
      { S: 'a' },
      { S: '' },
      { N: '-56.789' },
      { B: 'Yg==' },
      { B: '' },
      { BOOL: false },
      { BOOL: true },
      { NULL: true },
      { SS: ['', 'a'] },
      { NS: ['-56.789', '1'] },
      { BS: ['', 'Yg=='] },
      { L: [{ S: 'a' }, { L: [] }, { M: {} }] },
      { M: { a: { S: 'a' }, b: { M: { c: { NULL: true } } } } },
    ];
    for (const value of values) expect(validateAttributeValue(json(JSON.stringify(value)))).toEqual(value);
  });

  it('normalizes numbers, also inside sets, lists and maps', () => {
    expect(validateAttributeValue({ N: '1.0' })).toEqual({ N: '1' });
    expect(validateAttributeValue({ NS: ['1.50', '+2', '3e2'] })).toEqual({ NS: ['1.5', '2', '300'] });
    expect(validateAttributeValue({ L: [{ N: '-0' }, { M: { x: { N: '0100' } } }] })).toEqual({
      L: [{ N: '0' }, { M: { x: { N: '100' } } }],
    });
  });

  it('returns set members in DynamoDB order: strings and binaries bytewise, numbers by value', () => {
    expect(validateAttributeValue({ SS: ['b', '', 'a', 'B', '\u00e9', '\u{1f600}'] })).toEqual({ SS: ['', 'B', 'a', 'b', '\u00e9', '\u{1f600}'] });
    // By unsigned bytes: 0x00 < 0x01 < 0xff, whatever the base64 text sorts to.
    expect(validateAttributeValue({ BS: ['/w==', 'AQ==', 'AA=='] })).toEqual({ BS: ['AA==', 'AQ==', '/w=='] });
    expect(validateAttributeValue({ NS: ['10', '-2', '9', '0.5'] })).toEqual({ NS: ['-2', '0.5', '9', '10'] });
  });

  it('returns a copy, leaving the input untouched', () => {
    const input = { NS: ['1.0'] };
    const output = validateAttributeValue(input);
    expect(output).toEqual({ NS: ['1'] });
    expect(input).toEqual({ NS: ['1.0'] });
    expect(output.NS).not.toBe(input.NS);
  });

  it('ignores members DynamoDB does not define and members that are null', () => {
    expect(validateAttributeValue({ S: 'a', X: 1, s: 2 })).toEqual({ S: 'a' });
    expect(validateAttributeValue({ S: null, N: '1' })).toEqual({ N: '1' });
  });

  it('accepts true and false spelled as strings for BOOL and NULL', () => {
    expect(validateAttributeValue({ BOOL: 'TRUE' })).toEqual({ BOOL: true });
    expect(validateAttributeValue({ BOOL: 'false' })).toEqual({ BOOL: false });
    expect(validateAttributeValue({ NULL: 'true' })).toEqual({ NULL: true });
  });

  it('keeps a "__proto__" map key as an ordinary attribute', () => {
    const value = validateAttributeValue(json('{"M":{"__proto__":{"S":"x"},"a":{"N":"1.0"}}}'));
    expect(Object.keys(value.M!)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(value.M, '__proto__')?.value).toEqual({ S: 'x' });
    expect(Object.getPrototypeOf(value.M)).toBe(Object.prototype);
    expect(value.M!.a).toEqual({ N: '1' });
  });
});

describe('validateAttributeValue: SerializationException for wrong JSON types', () => {
  it('rejects a value that is not an object', () => {
    for (const value of ['23', true, 23, -2147483648, 2147483648, 34.56]) {
      expectSerialization(value, 'Unexpected value type in payload');
    }
    expectSerialization([], 'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue');
  });

  it.each(['S', 'N'])('rejects non-strings in %s', (member) => {
    expectSerialization({ [member]: true }, 'TRUE_VALUE cannot be converted to String');
    expectSerialization({ [member]: false }, 'FALSE_VALUE cannot be converted to String');
    expectSerialization({ [member]: 23 }, 'NUMBER_VALUE cannot be converted to String');
    expectSerialization({ [member]: -2147483648 }, 'NUMBER_VALUE cannot be converted to String');
    expectSerialization({ [member]: 2147483648 }, 'NUMBER_VALUE cannot be converted to String');
    expectSerialization({ [member]: 34.56 }, 'DECIMAL_VALUE cannot be converted to String');
    expectSerialization({ [member]: [] }, 'Unrecognized collection type class java.lang.String');
    expectSerialization({ [member]: {} }, 'Start of structure or map found where not expected');
  });

  it.each(['BOOL', 'NULL'])('rejects non-booleans in %s', (member) => {
    expectSerialization({ [member]: '23' }, 'Unexpected token received from parser');
    expectSerialization({ [member]: 23 }, 'NUMBER_VALUE cannot be converted to Boolean');
    expectSerialization({ [member]: 34.56 }, 'DECIMAL_VALUE cannot be converted to Boolean');
    expectSerialization({ [member]: [] }, 'Unrecognized collection type class java.lang.Boolean');
    expectSerialization({ [member]: {} }, 'Start of structure or map found where not expected');
  });

  it('rejects B values that are not canonical base64 strings', () => {
    for (const value of [true, 23, -2147483648, 34.56]) {
      expectSerialization({ B: value }, 'only base-64-encoded strings are convertible to bytes');
    }
    expectSerialization({ B: [] }, 'Unrecognized collection type class java.nio.ByteBuffer');
    expectSerialization({ B: {} }, 'Start of structure or map found where not expected');
    expectSerialization({ B: '23456' }, 'Base64 encoded length is expected a multiple of 4 bytes but found: 5');
    expectSerialization({ B: '=+/=' }, 'Invalid last non-pad Base64 character dectected');
    expectSerialization({ B: '+/+=' }, 'Invalid last non-pad Base64 character dectected');
    expectSerialization({ B: 'YR==' }, 'Invalid last non-pad Base64 character dectected');
    expectSerialization({ B: 'ab!d' }, 'Invalid last non-pad Base64 character dectected');
    expectSerialization({ B: 'ab-_' }, 'Invalid last non-pad Base64 character dectected');
  });

  it.each(['SS', 'NS', 'BS', 'L'])('rejects a %s that is not a list', (member) => {
    for (const value of ['23', true, 23, 34.56]) expectSerialization({ [member]: value }, 'Unexpected field type');
    expectSerialization({ [member]: {} }, 'Start of structure or map found where not expected');
  });

  it('checks the members of sets', () => {
    expectSerialization({ SS: ['a', 1] }, 'NUMBER_VALUE cannot be converted to String');
    expectSerialization({ NS: ['1', 1.5] }, 'DECIMAL_VALUE cannot be converted to String');
    expectSerialization({ NS: [[]] }, 'Unrecognized collection type class java.lang.String');
    expectSerialization({ BS: [true] }, 'only base-64-encoded strings are convertible to bytes');
    expectSerialization({ BS: ['abc'] }, 'Base64 encoded length is expected a multiple of 4 bytes but found: 3');
  });

  it('rejects an M that is not a map', () => {
    for (const value of ['23', true, 23, 34.56]) expectSerialization({ M: value }, 'Unexpected field type');
    expectSerialization(
      { M: [] },
      'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>',
    );
  });

  it('checks values nested in lists and maps', () => {
    expectSerialization({ L: ['a'] }, 'Unexpected value type in payload');
    expectSerialization({ L: [[]] }, 'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue');
    expectSerialization({ M: { a: 5 } }, 'Unexpected value type in payload');
    expectSerialization({ L: [{ BS: [5] }] }, 'only base-64-encoded strings are convertible to bytes');
    expectSerialization({ M: { a: { BS: [5] } } }, 'only base-64-encoded strings are convertible to bytes');
  });

  it('reports a wrong JSON type before any semantic problem, wherever it is', () => {
    expectSerialization({ NS: [], L: [{ S: 5 }] }, 'NUMBER_VALUE cannot be converted to String');
    expectSerialization({ L: [{}, { N: true }] }, 'TRUE_VALUE cannot be converted to String');
  });
});

describe('validateAttributeValue: ValidationException for invalid values', () => {
  it('rejects empty values, including after unknown and null members are dropped', () => {
    for (const value of [{}, { a: '' }, { S: null }, { M: { a: {} } }, { L: [{}] }, { L: [{ a: {} }] }, { L: [null] }]) {
      expectValidation(value, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
    }
  });

  it('rejects more than one data type', () => {
    expectValidation(
      { S: 'a', N: '1' },
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
    expectValidation(
      { BOOL: true, NULL: true },
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  });

  it('reports a bad member before the more-than-one-type error, as DynamoDB does', () => {
    expectValidation({ S: '', N: '' }, 'The parameter cannot be converted to a numeric value: ');
    expectValidation({ S: 'a', N: 'b' }, 'The parameter cannot be converted to a numeric value: b');
    expectValidation({ S: 'a', NS: [] }, `${INVALID}An number set  may not be empty`);
  });

  it('rejects invalid numbers with DynamoDB texts', () => {
    expectValidation({ N: '' }, 'The parameter cannot be converted to a numeric value: ');
    expectValidation({ N: 'b' }, 'The parameter cannot be converted to a numeric value: b');
    expectValidation({ NS: ['1', ''] }, 'The parameter cannot be converted to a numeric value: ');
    expectValidation({ NS: ['1', null] }, 'The parameter cannot be converted to a numeric value: ');
    expectValidation({ NS: ['1', 'b'] }, 'The parameter cannot be converted to a numeric value: b');
    expectValidation({ N: '123456789012345678901234567890123456789' }, 'Attempting to store more than 38 significant digits in a Number');
    expectValidation({ N: '1e126' }, 'Number overflow. Attempting to store a number with magnitude larger than supported range');
    expectValidation({ N: '-1e-131' }, 'Number underflow. Attempting to store a number with magnitude smaller than supported range');
    expectValidation({ M: { deep: { L: [{ N: 'x' }] } } }, 'The parameter cannot be converted to a numeric value: x');
  });

  it('requires NULL to be true', () => {
    expectValidation({ NULL: false }, `${INVALID}Null attribute value types must have the value of true`);
    expectValidation({ NULL: 'FALSE' }, `${INVALID}Null attribute value types must have the value of true`);
  });

  it('rejects empty sets with the per-type texts', () => {
    expectValidation({ SS: [] }, `${INVALID}An string set  may not be empty`);
    expectValidation({ NS: [] }, `${INVALID}An number set  may not be empty`);
    expectValidation({ BS: [] }, `${INVALID}Binary sets should not be empty`);
  });

  it('rejects duplicates with the per-type texts, listing members sorted up to the repeat (current layer)', () => {
    expectValidation({ SS: ['a', 'a'] }, `${INVALID}Input collection ["a", "a"] contains duplicates.`);
    expectValidation({ SS: ['b', 'a', 'b'] }, `${INVALID}Input collection ["a", "b", "b"] contains duplicates.`);
    // Sorted up to the first repeat, then the repeat, then the rest as sent.
    expectValidation({ SS: ['c', 'a', 'c', 'z', 'b'] }, `${INVALID}Input collection ["a", "c", "c", "z", "b"] contains duplicates.`);
    expectValidation({ SS: ['', ''] }, `${INVALID}Input collection ["", ""] contains duplicates.`);
    expectValidation({ BS: ['/w==', 'AA==', 'AA=='] }, `${INVALID}Input collection ["AA==","/w==","AA=="]of type BS contains duplicates.`);
    expectValidation({ BS: ['', ''] }, `${INVALID}Input collection ["",""]of type BS contains duplicates.`);
    expectValidation({ NS: ['2', '1', '2'] }, `${INVALID}Input collection contains duplicates.`);
  });

  it('rejects duplicates with the older layer texts: members as sent, unquoted', () => {
    const older = (value: unknown, message: string) =>
      expectError(() => validateAttributeValue(value, 'older'), 'ValidationException', message);
    older({ SS: ['b', 'a', 'b'] }, `${INVALID}Input collection [b, a, b] contains duplicates.`);
    older({ BS: ['/w==', 'AA==', 'AA=='] }, `${INVALID}Input collection [/w==, AA==, AA==]of type BS contains duplicates.`);
    older({ NS: ['2', '1', '2'] }, 'Input collection contains duplicates');
    older({ N: '' }, 'The parameter cannot be converted to a numeric value');
  });

  it('compares numbers in a set numerically when looking for duplicates', () => {
    const duplicates = `${INVALID}Input collection contains duplicates.`;
    expectValidation({ NS: ['1', '1.0'] }, duplicates);
    expectValidation({ NS: ['100', '1e2'] }, duplicates);
    expectValidation({ NS: ['-0', '0'] }, duplicates);
    expect(validateAttributeValue({ NS: ['1.01', '1'] })).toEqual({ NS: ['1', '1.01'] });
  });

  it('rejects null members of string and binary sets', () => {
    expectValidation({ SS: ['a', null] }, `${INVALID}An string set may not have a empty string as a member`);
    expectValidation({ BS: [null] }, `${INVALID}Binary sets may not contain null or empty values`);
  });

  it('limits nesting to 32 levels, counting the attribute itself as level 1', () => {
    const wrap = (levels: number): unknown => {
      let value: unknown = { S: 'leaf' };
      for (let i = 0; i < levels; i++) value = { M: { n: value } };
      return value;
    };
    expect(() => validateAttributeValue(wrap(31))).not.toThrow();
    expectValidation(
      wrap(32),
      'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
    );
    let list: unknown = { N: '1' };
    for (let i = 0; i < 32; i++) list = { L: [list] };
    expectValidation(
      list,
      'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
    );
  });

  it('survives hostile nesting without exhausting the stack', () => {
    const depth = 50_000;
    const text = '{"L":['.repeat(depth) + '{"N":"1"}' + ']}'.repeat(depth);
    const error = errorOf(() => validateAttributeValue(json(text)));
    expect(error.code).toBe('ValidationException');
    expect(error.message).toMatch(/^Nesting Levels have exceeded supported limits/);
  });
});

describe('validateItem', () => {
  it('validates and normalizes every attribute', () => {
    const item = validateItem(json('{"pk":{"S":"a"},"n":{"N":"1.0"},"m":{"M":{"x":{"NS":["2","3.0"]}}}}'));
    expect(item).toEqual({ pk: { S: 'a' }, n: { N: '1' }, m: { M: { x: { NS: ['2', '3'] } } } });
  });

  it('accepts an empty map', () => {
    expect(validateItem({})).toEqual({});
  });

  it('rejects an item that is not a map', () => {
    for (const value of ['23', true, 23, 34.56]) {
      expectError(() => validateItem(value), 'SerializationException', 'Unexpected field type');
    }
    expectError(
      () => validateItem([]),
      'SerializationException',
      'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>',
    );
  });

  it('rejects attribute values of the wrong JSON type', () => {
    expectError(() => validateItem({ a: 'x' }), 'SerializationException', 'Unexpected value type in payload');
    expectError(() => validateItem({ a: { S: 1 } }), 'SerializationException', 'NUMBER_VALUE cannot be converted to String');
  });

  it('reads every JSON type before checking any semantics', () => {
    expectError(
      () => validateItem({ a: { N: 'bad' }, b: { S: true } }),
      'SerializationException',
      'TRUE_VALUE cannot be converted to String',
    );
  });

  it('still reads every JSON type first when the problems are nested in maps and lists', () => {
    expectError(
      () => validateItem({ a: { M: { x: { N: 'bad' } } }, b: { L: [{ S: 'ok' }, { S: 1 }] } }),
      'SerializationException',
      'NUMBER_VALUE cannot be converted to String',
    );
    expectError(
      () => validateItem({ a: { L: [{ S: 'ok' }, { M: {} }, { NULL: false }] }, b: { M: { y: { SS: [] } } } }),
      'ValidationException',
      `${INVALID}Null attribute value types must have the value of true`,
    );
  });

  it('copies items that mix every kind of value, normalized, in attribute order', () => {
    const item = validateItem(
      json(
        '{"s":{"S":""},"n":{"N":"-00.10"},"b":{"B":"AAE="},"t":{"BOOL":"TRUE"},"z":{"NULL":true},"ss":{"SS":["b","a"]},' +
          '"m":{"M":{"l":{"L":[{"N":"1e2"},{"BOOL":false},{"M":{}}]},"x":{"S":"y","Extra":1}}},"__proto__":{"S":"p"},"7":{"L":[]}}',
      ),
      'older',
    );
    expect(JSON.stringify(item)).toBe(
      '{"7":{"L":[]},"s":{"S":""},"n":{"N":"-0.1"},"b":{"B":"AAE="},"t":{"BOOL":true},"z":{"NULL":true},"ss":{"SS":["a","b"]},' +
        '"m":{"M":{"l":{"L":[{"N":"100"},{"BOOL":false},{"M":{}}]},"x":{"S":"y"}}},"__proto__":{"S":"p"}}',
    );
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
  });

  it('normalizes a value after others that need nothing, in an item, a map and a list, and leaves the request as sent', () => {
    const sent = '{"a":{"S":"x"},"m":{"M":{"p":{"BOOL":true},"q":{"N":"1.0"}}},"l":{"L":[{"S":"y"},{"N":"02"},{"S":"z"}]},"n":{"N":"+5"},"__proto__":{"N":"0.0"}}';
    const request = json(sent);
    const item = validateItem(request);
    expect(JSON.stringify(item)).toBe('{"a":{"S":"x"},"m":{"M":{"p":{"BOOL":true},"q":{"N":"1"}}},"l":{"L":[{"S":"y"},{"N":"2"},{"S":"z"}]},"n":{"N":"5"},"__proto__":{"N":"0"}}');
    expect(JSON.stringify(request)).toBe(sent);
    // An item already as DynamoDB keeps it comes back equal.
    const canonical = '{"a":{"S":"x"},"m":{"M":{"p":{"NULL":true},"q":{"N":"1"}}},"l":{"L":[{"S":"y"},{"L":[]}]},"__proto__":{"S":""}}';
    expect(JSON.stringify(validateItem(json(canonical)))).toBe(canonical);
  });

  it('reports the first semantic problem in attribute order', () => {
    expectError(
      () => validateItem({ a: { SS: [] }, b: { N: 'bad' } }),
      'ValidationException',
      `${INVALID}An string set  may not be empty`,
    );
    expectError(
      () => validateItem({ a: null }),
      'ValidationException',
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    );
  });
});

describe('validateSizedItem', () => {
  it('returns the item validateItem returns, and its size as itemSize counts it', () => {
    const items = [
      '{}',
      '{"pk":{"S":"k"},"name":{"S":"Ada Lovelace"},"on":{"BOOL":true},"gone":{"NULL":true},"n":{"N":"-00.10"}}',
      '{"é":{"S":"😀 ü"},"big":{"N":"12345678901234567890.5e-3"},"z":{"N":"0"}}',
      '{"m":{"M":{"l":{"L":[{"N":"1e2"},{"M":{}},{"L":[]},{"S":""}]},"x":{"S":"y","Extra":1}}}}',
      '{"b":{"B":"AAE="},"ss":{"SS":["b","a"]},"ns":{"NS":["2","1.0"]},"bs":{"BS":["AQ==","AA=="]},"m":{"M":{"s":{"SS":["x"]}}}}',
      '{"t":{"BOOL":"TRUE"},"n":{"NULL":"true"},"nested":{"L":[{"B":""},{"N":"5"}]}}',
    ];
    for (const text of items) {
      const { item, size } = validateSizedItem(json(text), 'older');
      expect(item).toEqual(validateItem(json(text), 'older'));
      expect(size).toBe(itemSize(item));
    }
  });

  it('answers errors as validateItem does', () => {
    expectError(() => validateSizedItem({ a: { N: 'bad' }, b: { S: true } }), 'SerializationException', 'TRUE_VALUE cannot be converted to String');
    expectError(() => validateSizedItem({ a: { M: { b: { N: 'x' } } } }), 'ValidationException', 'The parameter cannot be converted to a numeric value: x');
  });
});

describe('validateKeyAttribute', () => {
  it('accepts ordinary key values', () => {
    expect(() => validateKeyAttribute('pk', { S: 'a' }, 'HASH')).not.toThrow();
    expect(() => validateKeyAttribute('pk', { N: '0' }, 'HASH')).not.toThrow();
    expect(() => validateKeyAttribute('sk', { B: 'AA==' }, 'RANGE')).not.toThrow();
  });

  it('rejects empty strings and binaries', () => {
    expectError(
      () => validateKeyAttribute('a', { S: '' }, 'HASH'),
      'ValidationException',
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: a',
    );
    expectError(
      () => validateKeyAttribute('b', { B: '' }, 'RANGE'),
      'ValidationException',
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: b',
    );
  });

  it('limits a partition key to 2048 bytes of UTF-8', () => {
    expect(() => validateKeyAttribute('pk', { S: 'a'.repeat(2048) }, 'HASH')).not.toThrow();
    expectError(
      () => validateKeyAttribute('pk', { S: 'a'.repeat(2049) }, 'HASH'),
      'ValidationException',
      `${INVALID}Size of hashkey has exceeded the maximum size limit of2048 bytes`,
    );
    // 683 three-byte characters are 2049 bytes though only 683 UTF-16 units.
    expectError(
      () => validateKeyAttribute('pk', { S: '中'.repeat(683) }, 'HASH'),
      'ValidationException',
      `${INVALID}Size of hashkey has exceeded the maximum size limit of2048 bytes`,
    );
  });

  it('limits a sort key to 1024 bytes, counting binaries decoded', () => {
    expect(() => validateKeyAttribute('sk', { S: 'a'.repeat(1024) }, 'RANGE')).not.toThrow();
    expectError(
      () => validateKeyAttribute('sk', { S: 'a'.repeat(1025) }, 'RANGE'),
      'ValidationException',
      `${INVALID}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`,
    );
    expect(() => validateKeyAttribute('sk', { B: Buffer.alloc(1024).toString('base64') }, 'RANGE')).not.toThrow();
    expectError(
      () => validateKeyAttribute('sk', { B: Buffer.alloc(1025).toString('base64') }, 'RANGE'),
      'ValidationException',
      `${INVALID}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`,
    );
  });

  it('never limits numbers', () => {
    expect(() => validateKeyAttribute('sk', { N: '1'.repeat(38) + '0'.repeat(88) }, 'RANGE')).not.toThrow();
  });
});

describe('validateIndexKeyAttribute', () => {
  it('rejects empty strings and binaries, naming the index', () => {
    expectError(
      () => validateIndexKeyAttribute('GSI1', 'GSI1SK', { S: '' }),
      'ValidationException',
      'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: GSI1, IndexKey: GSI1SK',
    );
    expectError(
      () => validateIndexKeyAttribute('byBin', 'bin', { B: '' }),
      'ValidationException',
      'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty binary value. IndexName: byBin, IndexKey: bin',
    );
  });

  it('accepts non-empty values', () => {
    expect(() => validateIndexKeyAttribute('GSI1', 'x', { S: 'v' })).not.toThrow();
    expect(() => validateIndexKeyAttribute('GSI1', 'x', { N: '0' })).not.toThrow();
  });
});
