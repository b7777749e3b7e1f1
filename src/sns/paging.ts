import { invalidParameter } from './arns.js';

/** The row id a NextToken stands for (0 without one); a token Eddy did not write is refused. */
export function rowAfter(nextToken: string | undefined): number {
  if (nextToken === undefined) return 0;
  const decoded = Buffer.from(nextToken, 'base64').toString('utf8');
  if (!/^row:\d+$/.test(decoded)) throw invalidParameter('NextToken');
  return Number(decoded.slice(4));
}

export const nextTokenFor = (row: number): string => Buffer.from(`row:${row}`).toString('base64');
