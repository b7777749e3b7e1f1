/**
 * The character checksum kept beside items of streamed tables
 * (src/dynamodb/values/item-text.ts): equal items must have equal sums, so
 * that stream capture never takes a rewrite for a change.
 */
import { describe, expect, it } from 'vitest';
import { itemTextChecksum } from '../../../src/dynamodb/values/item-text.js';

const plainSum = (text: string): number => [...text].reduce((sum, ch) => sum + ch.charCodeAt(0) + (ch.length > 1 ? ch.charCodeAt(1) : 0), 0);

describe('itemTextChecksum', () => {
  it('is the sum of the character codes, for texts of odd and even length', () => {
    for (const text of ['', '{', '{}', '{"a":{"S":"b"}}', '{"é":{"S":"𝔸✓"}}', 'x'.repeat(301)]) expect(itemTextChecksum(text)).toBe(plainSum(text));
  });

  it('stays exact for a text longer than any before it, and for a short odd one after it', () => {
    // The sum is taken over a scratch copy of the text that grows on demand; what a longer text left there must not count.
    for (const text of ['é'.repeat(50_001), 'y'.repeat(200_000) + '✓', 'abc', 'a\ud800b']) expect(itemTextChecksum(text)).toBe(plainSum(text));
  });

  it('is the same for the texts of one item written in another attribute and map entry order', () => {
    const item = { pk: { S: 'k' }, m: { M: { a: { N: '1' }, b: { SS: ['x', 'y'] } } }, n: { BOOL: true } };
    const reordered = { n: { BOOL: true }, m: { M: { b: { SS: ['x', 'y'] }, a: { N: '1' } } }, pk: { S: 'k' } };
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(item));
    expect(itemTextChecksum(JSON.stringify(reordered))).toBe(itemTextChecksum(JSON.stringify(item)));
  });

  it('differs for a change that keeps the size', () => {
    expect(itemTextChecksum(JSON.stringify({ pk: { S: 'k' }, bio: { S: 'xxxx' } }))).not.toBe(itemTextChecksum(JSON.stringify({ pk: { S: 'k' }, bio: { S: 'yyyy' } })));
  });
});
