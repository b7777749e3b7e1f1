/**
 * What an UpdateExpression counts against the 400 KB item limit.
 *
 * UpdateItem does not only measure the item it is about to store: it also
 * measures what the statement writes, name and value, plus a fixed cost per
 * clause, and refuses either over 409,600 bytes. So the key and every attribute
 * the statement leaves alone are out of that second figure, and at a short key
 * the ceiling sits below 400 KB. The charge is known from the request alone and
 * is checked before the ConditionExpression is evaluated.
 *
 * Figures from the Parity Suite's bisections against DynamoDB
 * (tests/tier3/limits/itemSizeBySurface.test.ts, eu-west-2, August to October
 * 2026; 31 of 33 regions apply the rule as of 2026-10-07, the other two measure
 * the finished item only, as every other write surface and AttributeUpdates do):
 *
 *   the update itself                     3
 *   SET target = operand                  19 + target + operand
 *   ADD target :v                         19 + target + v
 *   REMOVE target / DELETE target :v      1 + target (nothing removed is charged)
 *   a target                              its first name, plus 4 and the element for each later element
 *   a path operand                        1, plus 14 and the element for each element
 *   a value operand                       its size, at every use
 *   x + y / x - y                         34 / 37 plus both operands
 *   if_not_exists(path, v)                39 plus both operands
 *   list_append(x, y)                     37 plus both operands
 *
 * An element is a name's UTF-8 bytes (after #name substitution) or a list
 * index's decimal digits.
 */
import { attributeValueSize, utf8Length } from '../values/size.js';
import type { Path, PathElement, SetValue, Update, UpdateOperand } from './ast.js';

const UPDATE_CHARGE = 3;
const SET_OR_ADD_CHARGE = 19;
const REMOVE_OR_DELETE_CHARGE = 1;
const TARGET_STEP_CHARGE = 4;
const PATH_OPERAND_CHARGE = 1;
const PATH_OPERAND_STEP_CHARGE = 14;
const PLUS_CHARGE = 34;
const MINUS_CHARGE = 37;
const IF_NOT_EXISTS_CHARGE = 39;
const LIST_APPEND_CHARGE = 37;

const elementBytes = (element: PathElement): number => (typeof element === 'number' ? String(element).length : utf8Length(element));

function targetCharge(path: Path): number {
  let charge = elementBytes(path[0]!);
  for (const element of path.slice(1)) charge += TARGET_STEP_CHARGE + elementBytes(element);
  return charge;
}

function pathOperandCharge(path: Path): number {
  let charge = PATH_OPERAND_CHARGE;
  for (const element of path) charge += PATH_OPERAND_STEP_CHARGE + elementBytes(element);
  return charge;
}

function operandCharge(operand: UpdateOperand): number {
  switch (operand.kind) {
    case 'value':
      return attributeValueSize(operand.value);
    case 'path':
      return pathOperandCharge(operand.path);
    case 'if_not_exists':
      return IF_NOT_EXISTS_CHARGE + pathOperandCharge(operand.path) + operandCharge(operand.fallback);
    case 'list_append':
      return LIST_APPEND_CHARGE + operandCharge(operand.left) + operandCharge(operand.right);
  }
}

function setValueCharge(value: SetValue): number {
  switch (value.kind) {
    case 'plus':
      return PLUS_CHARGE + operandCharge(value.left) + operandCharge(value.right);
    case 'minus':
      return MINUS_CHARGE + operandCharge(value.left) + operandCharge(value.right);
    default:
      return operandCharge(value);
  }
}

/**
 * The bytes an UpdateExpression counts against the item size limit, or
 * undefined for legacy AttributeUpdates, which only the finished item limits.
 */
export function updateCharge(update: Update): number | undefined {
  if (update.source !== 'expression') return undefined;
  let charge = UPDATE_CHARGE;
  for (const action of update.actions) {
    switch (action.action) {
      case 'SET':
        charge += SET_OR_ADD_CHARGE + targetCharge(action.path) + setValueCharge(action.value);
        break;
      case 'ADD':
        charge += SET_OR_ADD_CHARGE + targetCharge(action.path) + attributeValueSize(action.value);
        break;
      case 'REMOVE':
      case 'DELETE':
        charge += REMOVE_OR_DELETE_CHARGE + targetCharge(action.path);
        break;
    }
  }
  return charge;
}
