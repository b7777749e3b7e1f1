import { describe, expect, it } from 'vitest';
import { updateCharge } from '../../../src/dynamodb/expressions/index.js';
import { compileAttributeUpdates } from '../../../src/dynamodb/expressions/legacy.js';
import { compile } from './helpers.js';

/**
 * What an UpdateExpression counts against the 400 KB limit, term by term, as
 * DynamoDB charged it in the Parity Suite's bisections (itemSizeBySurface.test.ts):
 * 3 for the update, 19 per SET or ADD, 1 per REMOVE or DELETE, a target's
 * first name plus 4 and the element per later element, a path operand 1 plus
 * 14 and the element per element, values at their size.
 */
const charge = (expression: string, values: Record<string, unknown> = {}, names?: Record<string, string>): number => {
  const { update } = compile({ UpdateExpression: expression, ExpressionAttributeValues: Object.keys(values).length ? values : undefined, ExpressionAttributeNames: names });
  return updateCharge(update!)!;
};

const BASE = 3;
const SET = 19;
const target = (first: string, ...rest: (string | number)[]) => first.length + rest.reduce<number>((sum, e) => sum + 4 + String(e).length, 0);
const operand = (...elements: (string | number)[]) => 1 + elements.reduce<number>((sum, e) => sum + 14 + String(e).length, 0);
const ten = { S: 'y'.repeat(10) };

describe('updateCharge', () => {
  it('charges a SET 19 plus its target and value, and the clause rather than the alias', () => {
    expect(charge('SET b = :pad', { ':pad': { S: 'x'.repeat(100) } })).toBe(BASE + SET + 1 + 100);
    expect(charge('SET #twelvechars = :pad', { ':pad': { S: 'x'.repeat(100) } }, { '#twelvechars': 'b' })).toBe(BASE + SET + 1 + 100);
    expect(charge('SET b = :p, c = :c', { ':p': { S: 'x' }, ':c': { S: 'y'.repeat(500) } })).toBe(BASE + SET + 1 + 1 + SET + 1 + 500);
  });

  it('charges a path operand 1 plus 14 and the element per element, not the value it reads', () => {
    expect(charge('SET c = abcdefghij')).toBe(BASE + SET + target('c') + operand('abcdefghij'));
    expect(charge('SET c = m.a.z')).toBe(BASE + SET + target('c') + operand('m', 'a', 'z'));
    expect(charge('SET c = l[10]')).toBe(BASE + SET + target('c') + operand('l', 10));
  });

  it('charges a nested target 4 plus the element per later element: a list index one byte more than a whole list', () => {
    const whole = charge('SET d = :w', { ':w': { L: [{ S: 'x'.repeat(50) }] } });
    const index = charge('SET d[0] = :p', { ':p': { S: 'x'.repeat(50) } });
    expect(index - whole).toBe(1);
    const map = charge('SET d = :w', { ':w': { M: { leaf: { S: 'x'.repeat(50) } } } });
    expect(charge('SET d.#leaf = :p', { ':p': { S: 'x'.repeat(50) } }, { '#leaf': 'leaf' })).toBe(map);
  });

  it('charges the functions and the arithmetic their fixed cost plus their operands', () => {
    expect(charge('SET l = list_append(l, :new)', { ':new': { L: [ten] } })).toBe(BASE + SET + target('l') + 37 + operand('l') + (3 + 1 + 10));
    expect(charge('SET c = if_not_exists(c, :v)', { ':v': { S: 'v' } })).toBe(BASE + SET + target('c') + 39 + operand('c') + 1);
    expect(charge('SET n = n + :one', { ':one': { N: '1' } })).toBe(BASE + SET + target('n') + 34 + operand('n') + 2);
    expect(charge('SET n = n - :one', { ':one': { N: '1' } })).toBe(BASE + SET + target('n') + 37 + operand('n') + 2);
    // One value used twice is charged twice.
    const hundred = { ':s': { S: 's'.repeat(100) } };
    expect(charge('SET c = if_not_exists(c, :s), d = if_not_exists(d, :s)', hundred)).toBe(BASE + 2 * (SET + 1 + 39 + operand('c') + 100));
  });

  it('charges ADD like SET, and REMOVE and DELETE 1 plus the path, nothing for what they remove', () => {
    expect(charge('ADD abcdefghij :one', { ':one': { N: '1' } })).toBe(BASE + SET + 10 + 2);
    expect(charge('ADD ss :new', { ':new': { SS: ['s'.repeat(500)] } })).toBe(BASE + SET + 2 + 500);
    expect(charge('REMOVE abcdefghij')).toBe(BASE + 1 + 10);
    expect(charge('REMOVE m.yyyyyyyyyy')).toBe(BASE + 1 + target('m', 'yyyyyyyyyy'));
    expect(charge('REMOVE l[10]')).toBe(BASE + 1 + target('l', 10));
    expect(charge('DELETE ss :rm', { ':rm': { SS: ['q'.repeat(20), 'r'.repeat(30)] } })).toBe(BASE + 1 + 2);
  });

  it('does not apply to legacy AttributeUpdates, which only the finished item limits', () => {
    expect(updateCharge(compileAttributeUpdates({ b: { Action: 'PUT', Value: { S: 'x' } } })!)).toBeUndefined();
  });
});
