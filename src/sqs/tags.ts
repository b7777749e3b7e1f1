import { sqsError } from './errors.js';

/** AWS's tag limits for queues: 50 tags, keys 1..128 characters, values up to 256. */
export function checkTags(tags: Record<string, string>, existing: Record<string, string> = {}): void {
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128) throw sqsError('InvalidParameterValue', `Tag key must be between 1 and 128 characters: ${key}`);
    if (typeof value !== 'string' || value.length > 256) throw sqsError('InvalidParameterValue', `Tag value must be at most 256 characters: ${key}`);
  }
  if (Object.keys({ ...existing, ...tags }).length > 50) throw sqsError('InvalidParameterValue', 'Too many tags added for queue.');
}
