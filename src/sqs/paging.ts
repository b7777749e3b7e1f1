import { sqsError } from './errors.js';

/**
 * One page of a sorted list. NextToken is the base64 of the last key shown;
 * without MaxResults the first 1000 come back and no token (as AWS answers).
 */
export function pageOf<T>(items: T[], keyOf: (item: T) => string, maxResults: number | undefined, nextToken: string | undefined): { items: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    const after = Buffer.from(nextToken, 'base64').toString('utf8');
    if (!after.startsWith('eddy:')) throw sqsError('InvalidParameterValue', 'Invalid or expired next token.');
    const key = after.slice(5);
    start = items.findIndex((item) => keyOf(item) > key);
    if (start < 0) start = items.length;
  }
  const limit = maxResults ?? 1000;
  const page = items.slice(start, start + limit);
  const more = maxResults !== undefined && start + limit < items.length;
  return { items: page, ...(more ? { nextToken: Buffer.from(`eddy:${keyOf(page[page.length - 1]!)}`).toString('base64') } : {}) };
}
