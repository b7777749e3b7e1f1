/**
 * Projecting an item onto paths, as GetItem, Query and Scan return it for a
 * ProjectionExpression and UpdateItem for UPDATED_OLD / UPDATED_NEW.
 *
 * Paths that lead nowhere are left out. A nested map keeps only the
 * projected members; list indexes collapse into a list of the selected
 * elements in index order, whatever order the paths were written in
 * (`l[2], l[0]` gives [l0, l2]), and paths through the same element merge
 * (`l[0].x, l[0].y` gives [{x, y}]).
 */
import type { AttributeValue, Item } from '../values/attribute-value.js';
import type { Path, Projection } from './ast.js';
import { valueAt } from './paths.js';
import { setOwn } from '../../own-property.js';

/** A partial copy under construction: either a whole value or some of its members. */
type Node =
  | { readonly kind: 'whole'; readonly value: AttributeValue }
  | { readonly kind: 'map'; readonly members: Map<string, Node> }
  | { readonly kind: 'list'; readonly elements: Map<number, Node> };

function insert(members: Map<string | number, Node>, path: Path, value: AttributeValue): void {
  const [head, ...rest] = path;
  const existing = members.get(head!);
  // A whole value already covers anything below it.
  if (existing?.kind === 'whole') return;
  if (rest.length === 0) {
    members.set(head!, { kind: 'whole', value });
    return;
  }
  const child: Node =
    existing ?? (typeof rest[0] === 'number' ? { kind: 'list', elements: new Map() } : { kind: 'map', members: new Map() });
  members.set(head!, child);
  if (child.kind === 'list') insert(child.elements as Map<string | number, Node>, rest, value);
  else if (child.kind === 'map') insert(child.members as Map<string | number, Node>, rest, value);
}

function build(node: Node): AttributeValue {
  switch (node.kind) {
    case 'whole':
      return structuredClone(node.value);
    case 'map': {
      const map: Record<string, AttributeValue> = {};
      for (const [key, child] of node.members) setOwn(map, key, build(child));
      return { M: map };
    }
    case 'list':
      return { L: [...node.elements.entries()].sort(([a], [b]) => a - b).map(([, child]) => build(child)) };
  }
}

/** The parts of `item` at `projection`'s paths (or at the given paths). */
export function project(projection: Projection | readonly Path[], item: Item): Item {
  const paths = 'paths' in projection ? projection.paths : projection;
  const top = new Map<string | number, Node>();
  for (const path of paths) {
    const value = valueAt(item, path);
    if (value !== undefined) insert(top, path, value);
  }
  const result: Item = {};
  for (const [name, node] of top) setOwn(result, String(name), build(node));
  return result;
}
