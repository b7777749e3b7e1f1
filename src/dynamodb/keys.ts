import { AwsError } from '../edge/errors.js';
import { invalidParameters } from './errors.js';
import type { KeyAttribute, Table } from './table-catalog.js';
import type { Item } from './values/attribute-value.js';
import { validateKeyAttribute } from './values/validate.js';
import { ownValue, setOwn } from '../own-property.js';

function keyAttributes(table: Table): KeyAttribute[] {
  return table.rangeKey ? [table.hashKey, table.rangeKey] : [table.hashKey];
}

const roleOf = (table: Table, attribute: KeyAttribute) => (attribute === table.rangeKey ? 'RANGE' : 'HASH');

/** The key of an item given to PutItem: every key attribute present, of its type. */
export function keyOfNewItem(table: Table, item: Item): Item {
  const key: Item = {};
  for (const attribute of keyAttributes(table)) {
    const value = ownValue(item, attribute.name);
    if (value === undefined) throw invalidParameters(`Missing the key ${attribute.name} in the item`);
    const actual = Object.keys(value)[0]!;
    if (actual !== attribute.type) {
      throw invalidParameters(`Type mismatch for key ${attribute.name} expected: ${attribute.type} actual: ${actual}`);
    }
    validateKeyAttribute(attribute.name, value, roleOf(table, attribute));
    setOwn(key, attribute.name, value);
  }
  return key;
}

/** A Key parameter (GetItem, DeleteItem, UpdateItem): exactly the key attributes, of their types. */
export function checkKey(table: Table, key: Item): Item {
  const attributes = keyAttributes(table);
  const matches =
    Object.keys(key).length === attributes.length &&
    attributes.every((a) => ownValue(key, a.name) !== undefined && Object.keys(key[a.name]!)[0] === a.type);
  if (!matches) throw new AwsError('ValidationException', 'The provided key element does not match the schema');
  for (const attribute of attributes) validateKeyAttribute(attribute.name, key[attribute.name]!, roleOf(table, attribute));
  return key;
}
