/**
 * DynamoDB Streams sequence numbers are decimal strings of 21 to 40 digits
 * that clients compare as numbers. Eddy numbers records with one SQLite
 * sequence and shows them offset by 10^20, so they are 21 digits long from the
 * first record on and grow strictly within every shard.
 */
const OFFSET = 10n ** 20n;

export function formatSequenceNumber(seq: number): string {
  // 10^20 + seq for 0 <= seq < 10^20, without BigInt (GetRecords formats one
  // per record): a 1 and seq's digits padded to 20. Sequences stay below 2^40.
  return `1${String(seq).padStart(20, '0')}`;
}

/** The internal sequence of a sequence number string, or undefined when it is not one of Eddy's. */
export function parseSequenceNumber(text: string): number | undefined {
  if (!/^\d{21,40}$/.test(text)) return undefined;
  const value = BigInt(text) - OFFSET;
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(value);
}
