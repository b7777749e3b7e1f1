/**
 * The compiled forms of DynamoDB's expressions: what the parsers produce once
 * every placeholder has been substituted, and what the evaluators consume.
 * Legacy parameters (Expected, AttributeUpdates, AttributesToGet) compile to
 * the same shapes.
 */
import type { AttributeValue } from '../values/attribute-value.js';

/** A map key (or top-level attribute name) or a list index. */
export type PathElement = string | number;

/** A document path: `a.b[2].c` is ['a', 'b', 2, 'c']. */
export type Path = readonly PathElement[];

/** Something a condition compares: an attribute of the item, a literal, or size() of one of them. */
export type Operand =
  | { readonly kind: 'path'; readonly path: Path }
  | { readonly kind: 'value'; readonly value: AttributeValue }
  | { readonly kind: 'size'; readonly operand: Operand };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type ConditionFunctionName =
  | 'attribute_exists'
  | 'attribute_not_exists'
  | 'attribute_type'
  | 'begins_with'
  | 'contains';

/** A ConditionExpression, FilterExpression, KeyConditionExpression or converted Expected. */
export type Condition =
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly condition: Condition }
  | { readonly kind: 'compare'; readonly op: Comparator; readonly left: Operand; readonly right: Operand }
  | { readonly kind: 'between'; readonly operand: Operand; readonly low: Operand; readonly high: Operand }
  | { readonly kind: 'in'; readonly operand: Operand; readonly list: readonly Operand[] }
  | { readonly kind: 'function'; readonly name: ConditionFunctionName; readonly args: readonly Operand[] };

/** The right-hand side of a SET action, or an argument of one of its functions. */
export type UpdateOperand =
  | { readonly kind: 'path'; readonly path: Path }
  | { readonly kind: 'value'; readonly value: AttributeValue }
  | { readonly kind: 'if_not_exists'; readonly path: Path; readonly fallback: UpdateOperand }
  | { readonly kind: 'list_append'; readonly left: UpdateOperand; readonly right: UpdateOperand };

export type SetValue =
  | UpdateOperand
  | { readonly kind: 'plus' | 'minus'; readonly left: UpdateOperand; readonly right: UpdateOperand };

export type UpdateAction =
  | { readonly action: 'SET'; readonly path: Path; readonly value: SetValue }
  | { readonly action: 'REMOVE'; readonly path: Path }
  | { readonly action: 'ADD'; readonly path: Path; readonly value: AttributeValue }
  | { readonly action: 'DELETE'; readonly path: Path; readonly value: AttributeValue };

/**
 * An UpdateExpression (`source: 'expression'`) or legacy AttributeUpdates
 * (`source: 'attribute-updates'`, only top-level paths). The two differ in
 * their apply-time error texts and in legacy ADD accepting lists.
 */
export interface Update {
  readonly source: 'expression' | 'attribute-updates';
  /** In the order they were written. */
  readonly actions: readonly UpdateAction[];
}

/** A ProjectionExpression or AttributesToGet: the paths to return. */
export interface Projection {
  readonly paths: readonly Path[];
}
