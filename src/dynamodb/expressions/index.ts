/**
 * DynamoDB's expression language: ConditionExpression, FilterExpression,
 * KeyConditionExpression, UpdateExpression and ProjectionExpression with
 * their placeholders, and the legacy Expected, AttributeUpdates and
 * AttributesToGet, compiled to one representation and evaluated with
 * DynamoDB's semantics and error messages.
 *
 * Use:
 *  - `compileExpressions(request, { keyAttributeNames, operation })` once
 *    per request, after deserialization; it throws DynamoDB's
 *    ValidationException. DynamoDB reports these errors before looking the
 *    table up, except updates of key attributes: to keep that order, pass
 *    `keyAttributeNames: []` and call `checkKeyAttributeUpdates` after the
 *    table lookup.
 *  - `evaluateCondition(condition, item)` for conditions and filters
 *    (item undefined when there is none).
 *  - `applyUpdate(update, item)` with the stored item, or the key alone for a
 *    new one; it returns a new item and the paths it wrote.
 *  - `updateCharge(update)`: what an UpdateExpression counts against the
 *    400 KB limit besides the finished item.
 *  - `project(projection, item)` for ProjectionExpression and
 *    AttributesToGet, and `project(updatedPaths, oldOrNewItem)` for
 *    ReturnValues UPDATED_OLD / UPDATED_NEW.
 */
export type {
  Comparator,
  Condition,
  ConditionFunctionName,
  Operand,
  Path,
  PathElement,
  Projection,
  SetValue,
  Update,
  UpdateAction,
  UpdateOperand,
} from './ast.js';
export {
  compileExpressions,
  checkKeyAttributeUpdates,
  MAX_EXPRESSION_BYTES,
  MAX_OPERATORS,
  type CompiledExpressions,
  type CompileOptions,
  type ExpressionRequest,
} from './compile.js';
export type { ExpressionOperation } from './parameters.js';
export { evaluateCondition } from './evaluate.js';
export { applyUpdate } from './apply-update.js';
export { updateCharge } from './update-charge.js';
export { project } from './project.js';
export { formatPath, valueAt } from './paths.js';
