/**
 * Sequence numbers and eventIDs as GetRecords shows them
 * (src/streams/sequence-numbers.ts, stream-record.ts), formatted once per
 * record: the fast formatting must give exactly what the plain definitions
 * give.
 */
import { describe, expect, it } from 'vitest';
import { formatSequenceNumber, parseSequenceNumber } from '../../src/streams/sequence-numbers.js';
import { eventIdOf, mix32 } from '../../src/streams/stream-record.js';

const SEQS = [0, 1, 9, 10, 255, 256, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 40 - 1, 2 ** 40, Number.MAX_SAFE_INTEGER, ...Array.from({ length: 5000 }, (_, i) => (i * 2_654_435_761) % 2 ** 40)];

/** The eventID by its definition: four mixed words of the sequence number, each as 8 hex digits by toString(16). */
function eventIdByDefinition(seq: number): string {
  const hex8 = (word: number) => word.toString(16).padStart(8, '0');
  const low = seq >>> 0;
  const a = mix32(low);
  const b = mix32(a ^ Math.floor(seq / 2 ** 32) ^ 0x9e3779b9);
  const c = mix32(b ^ 0x7f4a7c15);
  return hex8(a) + hex8(b) + hex8(c) + hex8(mix32(c ^ low ^ 0x85ebca6b));
}

describe('formatSequenceNumber', () => {
  it('is 10^20 plus the sequence, in decimal, and parses back', () => {
    for (const seq of SEQS) {
      const text = formatSequenceNumber(seq);
      expect(text).toBe((10n ** 20n + BigInt(seq)).toString());
      expect(parseSequenceNumber(text)).toBe(seq);
    }
  });
});

describe('eventIdOf', () => {
  it('gives the hex digits of the four mixed words, zero-padded', () => {
    for (const seq of SEQS) expect(eventIdOf(seq)).toBe(eventIdByDefinition(seq));
  });
});
