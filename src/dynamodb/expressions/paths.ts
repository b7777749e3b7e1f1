/** Document paths: reading them in an item, printing them, and DynamoDB's overlap rules. */
import type { AttributeValue, Item } from '../values/attribute-value.js';
import type { Path } from './ast.js';

/** How DynamoDB prints a path in its messages: `a.b[1]` is "[a, b, [1]]". */
export function formatPath(path: Path): string {
  return `[${path.map((element) => (typeof element === 'number' ? `[${element}]` : element)).join(', ')}]`;
}

/** The value at `path`, or undefined when any step is missing or of the wrong type. */
export function valueAt(item: Item | undefined, path: Path): AttributeValue | undefined {
  if (item === undefined || path.length === 0) return undefined;
  const [head, ...rest] = path;
  if (typeof head !== 'string' || !Object.hasOwn(item, head)) return undefined;
  let current: AttributeValue | undefined = item[head];
  for (const element of rest) {
    if (current === undefined) return undefined;
    if (typeof element === 'number') {
      current = current.L !== undefined && element < current.L.length ? current.L[element] : undefined;
    } else {
      current = current.M !== undefined && Object.hasOwn(current.M, element) ? current.M[element] : undefined;
    }
  }
  return current;
}

export function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((element, i) => element === b[i]);
}

export type PathClash = { readonly kind: 'overlap' | 'conflict'; readonly first: Path; readonly second: Path };

/**
 * How two paths of one expression clash (dynalite db/updateParser.pegjs
 * `checkPaths`): walking both, a map key where the other has a list index is
 * a conflict (`a.b` and `a[1]`); one path being a prefix of the other, or the
 * two being equal, is an overlap (`a` and `a.b`).
 */
function clash(first: Path, second: Path): PathClash | undefined {
  const shorter = Math.min(first.length, second.length);
  for (let i = 0; i < shorter; i++) {
    if (typeof first[i] !== typeof second[i]) return { kind: 'conflict', first, second };
    if (first[i] !== second[i]) return undefined;
  }
  return { kind: 'overlap', first, second };
}

/**
 * The clash DynamoDB reports among paths written in this order: each path is
 * compared with those before it; any overlap wins over conflicts, otherwise
 * the first conflict is reported. The earlier path is "path one".
 */
export function findPathClash(paths: readonly Path[]): PathClash | undefined {
  let conflict: PathClash | undefined;
  for (let j = 1; j < paths.length; j++) {
    for (let i = 0; i < j; i++) {
      const found = clash(paths[i]!, paths[j]!);
      if (found?.kind === 'overlap') return found;
      conflict ??= found;
    }
  }
  return conflict;
}

export function pathClashMessage({ kind, first, second }: PathClash): string {
  const verb = kind === 'overlap' ? 'overlap' : 'conflict';
  return (
    `Two document paths ${verb} with each other; must remove or rewrite one of these paths; ` +
    `path one: ${formatPath(first)}, path two: ${formatPath(second)}`
  );
}
