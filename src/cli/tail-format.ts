import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** The parts of a stream record `eddy tail` prints (as the Streams SDK returns it). */
export interface TailRecord {
  eventName?: string;
  dynamodb?: {
    ApproximateCreationDateTime?: Date;
    Keys?: Record<string, AttributeValue>;
    NewImage?: Record<string, AttributeValue>;
    OldImage?: Record<string, AttributeValue>;
    SequenceNumber?: string;
  };
  userIdentity?: { Type?: string; PrincipalId?: string };
}

function plain(image: Record<string, AttributeValue> | undefined): Record<string, unknown> | undefined {
  // wrapNumbers keeps 38-digit numbers exact; they print as their decimal text.
  return image ? unmarshall(image as never, { wrapNumbers: true }) : undefined;
}

const number = (value: unknown): unknown => (value && typeof value === 'object' && 'value' in value && Object.keys(value).length === 1 ? (value as { value: string }).value : value);

function render(value: unknown): string {
  const unwrapped = number(value);
  if (unwrapped !== value) return String(unwrapped);
  if (value && typeof value === 'object' && !(value instanceof Set) && !(value instanceof Uint8Array)) {
    if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
    return `{${Object.entries(value).map(([k, v]) => `${k}: ${render(v)}`).join(', ')}}`;
  }
  if (value instanceof Set) return `<<${[...value].map(render).join(', ')}>>`;
  if (value instanceof Uint8Array) return `b64:${Buffer.from(value).toString('base64')}`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * One readable line per record: time, event, keys, and what changed
 * (`attr: old -> new`; `+attr: value` when added; `-attr` when removed).
 * Images the stream's view type leaves out are simply not shown.
 */
export function formatRecord(record: TailRecord): string {
  const time = record.dynamodb?.ApproximateCreationDateTime?.toISOString().replace(/\.\d{3}Z$/, 'Z') ?? '-';
  const keys = Object.entries(plain(record.dynamodb?.Keys) ?? {})
    .map(([name, value]) => `${name}=${render(value)}`)
    .join(' ');
  const oldImage = plain(record.dynamodb?.OldImage);
  const newImage = plain(record.dynamodb?.NewImage);
  const keyNames = new Set(Object.keys(record.dynamodb?.Keys ?? {}));
  const changes: string[] = [];
  const names = [...new Set([...Object.keys(oldImage ?? {}), ...Object.keys(newImage ?? {})])].filter((n) => !keyNames.has(n)).sort();
  for (const name of names) {
    const before = oldImage?.[name];
    const after = newImage?.[name];
    if (oldImage && newImage) {
      if (before === undefined) changes.push(`+${name}: ${render(after)}`);
      else if (after === undefined) changes.push(`-${name}`);
      else if (render(before) !== render(after)) changes.push(`${name}: ${render(before)} -> ${render(after)}`);
    } else if (newImage) {
      changes.push(`${name}=${render(after)}`);
    } else {
      changes.push(`${name}=${render(before)}`);
    }
  }
  const by = record.userIdentity?.PrincipalId ? ` (by ${record.userIdentity.PrincipalId})` : '';
  return `${time} ${(record.eventName ?? '?').padEnd(6)} ${keys}${changes.length ? `  ${changes.join('  ')}` : ''}${by}`;
}
