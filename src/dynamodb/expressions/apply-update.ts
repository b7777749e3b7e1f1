/**
 * Applying a compiled update to an item, with DynamoDB's apply-time errors
 * (texts from dynalite's test/updateItem.js, which ran against DynamoDB).
 *
 * Every SET value is computed from the item as it was before the update.
 * Paths also refer to the item as it was: SET, ADD and DELETE apply first,
 * in path order (so `SET l[1] = :a, l[4] = :b` on a two-element list writes
 * index 1, then appends), and REMOVE applies last, highest list index
 * first, so `REMOVE l[0], l[1]` removes the first two elements. A list
 * index past the end of the list appends.
 */
import { validationError, type AwsError } from '../../edge/errors.js';
import { typeOf, type AttributeValue, type Item } from '../values/attribute-value.js';
import { compareBinaries, sortSetMembers } from '../values/equality.js';
import { addNumbers, compareNumbers, subtractNumbers } from '../values/number.js';
import type { Path, PathElement, SetValue, Update, UpdateAction, UpdateOperand } from './ast.js';
import { valueAt } from './paths.js';

const INVALID_PATH = 'The document path provided in the update expression is invalid for update';
const MISSING_ATTRIBUTE = 'The provided expression refers to an attribute that does not exist in the item';
const WRONG_OPERAND_TYPE = 'An operand in the update expression has an incorrect data type';
const LEGACY_TYPE_MISMATCH = 'Type mismatch for attribute to update';

function operandValue(operand: UpdateOperand, item: Item): AttributeValue {
  switch (operand.kind) {
    case 'value':
      return operand.value;
    case 'path': {
      const value = valueAt(item, operand.path);
      if (value === undefined) throw validationError(MISSING_ATTRIBUTE);
      return value;
    }
    case 'if_not_exists':
      return valueAt(item, operand.path) ?? operandValue(operand.fallback, item);
    case 'list_append': {
      const left = operandValue(operand.left, item);
      const right = operandValue(operand.right, item);
      if (left.L === undefined || right.L === undefined) throw validationError(WRONG_OPERAND_TYPE);
      return { L: [...left.L, ...right.L] };
    }
  }
}

const isArithmetic = (value: SetValue): value is Extract<SetValue, { kind: 'plus' | 'minus' }> =>
  value.kind === 'plus' || value.kind === 'minus';

function setValue(value: SetValue, item: Item): AttributeValue {
  if (!isArithmetic(value)) return operandValue(value, item);
  const left = operandValue(value.left, item);
  const right = operandValue(value.right, item);
  if (left.N === undefined || right.N === undefined) throw validationError(WRONG_OPERAND_TYPE);
  return { N: value.kind === 'plus' ? addNumbers(left.N, right.N) : subtractNumbers(left.N, right.N) };
}

/** Where an action writes: the container holding the last path element. */
type Slot =
  | { readonly kind: 'map'; readonly map: Record<string, AttributeValue>; readonly key: string }
  | { readonly kind: 'list'; readonly list: AttributeValue[]; readonly index: number };

function slotValue(slot: Slot): AttributeValue | undefined {
  if (slot.kind === 'map') return Object.hasOwn(slot.map, slot.key) ? slot.map[slot.key] : undefined;
  return slot.index < slot.list.length ? slot.list[slot.index] : undefined;
}

function writeSlot(slot: Slot, value: AttributeValue): void {
  if (slot.kind === 'map') {
    Object.defineProperty(slot.map, slot.key, { value, enumerable: true, writable: true, configurable: true });
  } else if (slot.index < slot.list.length) {
    slot.list[slot.index] = value;
  } else {
    slot.list.push(value);
  }
}

function clearSlot(slot: Slot): void {
  if (slot.kind === 'map') delete slot.map[slot.key];
  else if (slot.index < slot.list.length) slot.list.splice(slot.index, 1);
}

/** The slot for `path`; every container on the way must exist and have the type the path expects. */
function slotFor(item: Item, path: Path): Slot {
  let container: AttributeValue = { M: item };
  for (let i = 0; i < path.length - 1; i++) {
    const next = slotValue(childSlot(container, path[i]!));
    if (next === undefined) throw validationError(INVALID_PATH);
    container = next;
  }
  return childSlot(container, path[path.length - 1]!);
}

function childSlot(container: AttributeValue, element: PathElement): Slot {
  if (typeof element === 'number') {
    if (container.L === undefined) throw validationError(INVALID_PATH);
    return { kind: 'list', list: container.L, index: element };
  }
  if (container.M === undefined) throw validationError(INVALID_PATH);
  return { kind: 'map', map: container.M, key: element };
}

const SET_MEMBER_EQUALS = {
  SS: (a: string, b: string) => a === b,
  NS: (a: string, b: string) => compareNumbers(a, b) === 0,
  BS: (a: string, b: string) => compareBinaries(a, b) === 0,
} as const;

type SetType = keyof typeof SET_MEMBER_EQUALS;

function setType(value: AttributeValue): SetType | undefined {
  const type = typeOf(value);
  return type === 'SS' || type === 'NS' || type === 'BS' ? type : undefined;
}

function union(type: SetType, existing: readonly string[], added: readonly string[]): string[] {
  const equals = SET_MEMBER_EQUALS[type];
  const members = [...existing];
  for (const member of added) if (!members.some((m) => equals(m, member))) members.push(member);
  return members;
}

function difference(type: SetType, existing: readonly string[], removed: readonly string[]): string[] {
  const equals = SET_MEMBER_EQUALS[type];
  return existing.filter((member) => !removed.some((r) => equals(member, r)));
}

/**
 * ADD: numbers add up, sets gain members, a missing attribute is created;
 * legacy ADD also appends to lists. Sets keep DynamoDB's member order.
 */
function add(current: AttributeValue | undefined, value: AttributeValue, mismatch: () => AwsError): AttributeValue {
  if (current === undefined) return value;
  if (current.N !== undefined && value.N !== undefined) return { N: addNumbers(current.N, value.N) };
  if (current.L !== undefined && value.L !== undefined) return { L: [...current.L, ...value.L] };
  const type = setType(value);
  if (type === undefined || setType(current) !== type) throw mismatch();
  return { [type]: sortSetMembers(type, union(type, current[type]!, value[type]!)) };
}

/** DELETE: the set loses the members; undefined when none are left. */
function remove(current: AttributeValue, value: AttributeValue, mismatch: () => AwsError): AttributeValue | undefined {
  const type = setType(value);
  if (type === undefined || setType(current) !== type) throw mismatch();
  const left = difference(type, current[type]!, value[type]!);
  return left.length > 0 ? { [type]: sortSetMembers(type, left) } : undefined;
}

/** Orders paths so that, under one list, lower indexes come first. */
function comparePaths(a: Path, b: Path): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * Applies `update` to `item` (the stored item, or just its key when there
 * is none) and returns the new item and the paths the update wrote, in the
 * order they were written, for ReturnValues UPDATED_OLD and UPDATED_NEW.
 * The input item is not modified.
 */
export function applyUpdate(update: Update, item: Item): { item: Item; updatedPaths: Path[] } {
  const mismatch = (): AwsError =>
    validationError(update.source === 'expression' ? WRONG_OPERAND_TYPE : LEGACY_TYPE_MISMATCH);

  // Every SET value first, from the item as it was.
  const computed = new Map<UpdateAction, AttributeValue>();
  for (const action of update.actions) {
    if (action.action === 'SET') computed.set(action, setValue(action.value, item));
  }

  const result = structuredClone(item);
  const writes = update.actions.filter((action) => action.action !== 'REMOVE');
  const removals = update.actions.filter((action) => action.action === 'REMOVE');
  writes.sort((a, b) => comparePaths(a.path, b.path));
  removals.sort((a, b) => comparePaths(b.path, a.path));

  for (const action of [...writes, ...removals]) {
    const slot = slotFor(result, action.path);
    switch (action.action) {
      case 'SET':
        writeSlot(slot, computed.get(action)!);
        break;
      case 'REMOVE':
        clearSlot(slot);
        break;
      case 'ADD':
        writeSlot(slot, add(slotValue(slot), action.value, mismatch));
        break;
      case 'DELETE': {
        const current = slotValue(slot);
        if (current === undefined) break;
        const left = remove(current, action.value, mismatch);
        if (left === undefined) clearSlot(slot);
        else writeSlot(slot, left);
        break;
      }
    }
  }
  return { item: result, updatedPaths: update.actions.map((action) => action.path) };
}
