import type { AwsError } from '../edge/errors.js';
import { sqsError } from './errors.js';

export interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

/** The checks every *Batch operation makes on its entries before running any. */
export function checkBatchEntries(entries: { Id?: string }[] | undefined, entryType: string): void {
  if (!entries || entries.length === 0) throw sqsError('EmptyBatchRequest', `There should be at least one ${entryType} in the request.`);
  if (entries.length > 10) throw sqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${entries.length}.`);
  const seen = new Set<string>();
  for (const entry of entries) {
    const id = entry.Id ?? '';
    if (!/^[\w-]{1,80}$/.test(id)) {
      throw sqsError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    }
    if (seen.has(id)) throw sqsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    seen.add(id);
  }
}

/** One entry's error, as the batch answer's `Failed` list reports it. */
export const batchFailure = (id: string, error: AwsError): BatchFailure => ({
  Id: id,
  SenderFault: error.status < 500,
  Code: error.code,
  Message: error.message,
});
