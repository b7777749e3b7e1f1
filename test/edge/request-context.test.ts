/**
 * Request ids (src/edge/request-context.ts): made in blocks of 256, each a
 * slice of the block's text; every id must still look like AWS's and be
 * different from every other.
 */
import { describe, expect, it } from 'vitest';
import { newRequestId } from '../../src/edge/request-context.js';

describe('newRequestId', () => {
  it('gives 52 upper-case letters and digits, a different id every time, across blocks', () => {
    const ids = Array.from({ length: 1000 }, () => newRequestId());
    for (const id of ids) expect(id).toMatch(/^[A-Z0-9]{52}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
