/**
 * Evaluating a compiled condition against an item (undefined when there is
 * no item). A missing attribute makes every comparison false except `<>`,
 * which is then true; values of different types are never equal or ordered.
 */
import { typeOf, type AttributeValue, type Item } from '../values/attribute-value.js';
import type { Condition, Operand } from './ast.js';
import { beginsWith, compare, contains, equal, sizeOf } from './compare.js';
import { valueAt } from './paths.js';

function operandValue(operand: Operand, item: Item | undefined): AttributeValue | undefined {
  switch (operand.kind) {
    case 'path':
      return valueAt(item, operand.path);
    case 'value':
      return operand.value;
    case 'size':
      return sizeOf(operandValue(operand.operand, item));
  }
}


export function evaluateCondition(condition: Condition, item: Item | undefined): boolean {
  const value = (operand: Operand): AttributeValue | undefined => operandValue(operand, item);
  switch (condition.kind) {
    case 'and':
      return evaluateCondition(condition.left, item) && evaluateCondition(condition.right, item);
    case 'or':
      return evaluateCondition(condition.left, item) || evaluateCondition(condition.right, item);
    case 'not':
      return !evaluateCondition(condition.condition, item);
    case 'compare': {
      const left = value(condition.left);
      const right = value(condition.right);
      return compare(condition.op, left, right);
    }
    case 'between': {
      const subject = value(condition.operand);
      return (
        compare('>=', subject, value(condition.low)) && compare('<=', subject, value(condition.high))
      );
    }
    case 'in': {
      const subject = value(condition.operand);
      return condition.list.some((candidate) => equal(subject, value(candidate)));
    }
    case 'function': {
      const [first, second] = condition.args.map(value);
      switch (condition.name) {
        case 'attribute_exists':
          return first !== undefined;
        case 'attribute_not_exists':
          return first === undefined;
        case 'attribute_type':
          return first !== undefined && second?.S === typeOf(first);
        case 'begins_with':
          return beginsWith(first, second);
        case 'contains':
          return contains(first, second);
      }
    }
  }
  return false;
}
