import { AwsError } from '../edge/errors.js';

/** IAM's default page: 100 items (MaxItems 1-1000). */
const DEFAULT_MAX_ITEMS = 100;

export interface PageInput {
  Marker?: string;
  MaxItems?: number;
}

/**
 * One page of `items` as IAM's List operations answer: `IsTruncated`, and a
 * `Marker` to pass back for the next page. The marker is opaque to clients;
 * Eddy's is the position of the next item, base64-encoded. The lists are
 * read whole (a role has a few policies, an account a few hundred roles).
 */
export function page<T>(items: readonly T[], input: PageInput): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const start = input.Marker === undefined ? 0 : markerPosition(input.Marker);
  const end = start + (input.MaxItems ?? DEFAULT_MAX_ITEMS);
  const truncated = end < items.length;
  return { items: items.slice(start, end), IsTruncated: truncated, ...(truncated ? { Marker: Buffer.from(`eddy:${end}`).toString('base64') } : {}) };
}

function markerPosition(marker: string): number {
  const match = /^eddy:(\d+)$/.exec(Buffer.from(marker, 'base64').toString('utf8'));
  if (!match) throw new AwsError('ValidationError', 'Invalid Marker.', 400);
  return Number(match[1]);
}
