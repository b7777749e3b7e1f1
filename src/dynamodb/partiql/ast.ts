/**
 * The syntax tree of a PartiQL statement as DynamoDB's subset reads it. The
 * parser builds it without looking at tables or parameters; translation
 * (`translate.ts`) turns it into key reads, conditions and updates.
 */
import type { SourcePosition } from './errors.js';

export type Literal =
  | { readonly kind: 'string'; readonly text: string }
  /** `text` as written, without a sign; `negative` after folding unary minus signs. */
  | { readonly kind: 'number'; readonly text: string; readonly negative: boolean }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'missing' };

export type PathStep =
  | { readonly kind: 'name'; readonly name: string; readonly position: SourcePosition }
  | { readonly kind: 'index'; readonly index: Expr; readonly position: SourcePosition }
  /** `a.*` */
  | { readonly kind: 'unpivot'; readonly position: SourcePosition }
  /** `a[*]` */
  | { readonly kind: 'wildcard'; readonly position: SourcePosition };

export type BinaryOperator = 'and' | 'or' | '=' | '<>' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%' | '||';

export type Expr = (
  | { readonly type: 'literal'; readonly value: Literal }
  /** The n-th `?` of the statement, from 0. */
  | { readonly type: 'parameter'; readonly index: number }
  /** A bare or double-quoted name: an attribute, or (in FROM) a table. */
  | { readonly type: 'identifier'; readonly name: string }
  | { readonly type: 'path'; readonly root: Expr; readonly steps: readonly PathStep[] }
  | { readonly type: 'list' | 'bag' | 'sexp'; readonly items: readonly Expr[] }
  | { readonly type: 'struct'; readonly fields: readonly { readonly key: Expr; readonly value: Expr }[] }
  /** A function call; `name` lower-cased, as DynamoDB quotes it. `star` for `count(*)`. */
  | { readonly type: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly star: boolean }
  | { readonly type: 'not'; readonly operand: Expr }
  | { readonly type: 'negate' | 'plus'; readonly operand: Expr }
  | { readonly type: 'binary'; readonly op: BinaryOperator; readonly left: Expr; readonly right: Expr }
  | { readonly type: 'between'; readonly operand: Expr; readonly low: Expr; readonly high: Expr; readonly negated: boolean }
  | { readonly type: 'in'; readonly operand: Expr; readonly list: Expr; readonly negated: boolean }
  | { readonly type: 'like'; readonly operand: Expr; readonly pattern: Expr; readonly negated: boolean }
  /** `x IS [NOT] type`; `typeName` upper-cased. */
  | { readonly type: 'is'; readonly operand: Expr; readonly typeName: string; readonly negated: boolean }
) & { readonly position: SourcePosition };

export type ReturningMapping = 'ALL OLD' | 'MODIFIED OLD' | 'ALL NEW' | 'MODIFIED NEW';

export interface Returning {
  readonly elements: readonly { readonly mapping: ReturningMapping; readonly star: boolean }[];
}

export type SelectItem =
  | { readonly kind: 'star'; readonly position: SourcePosition }
  | { readonly kind: 'expr'; readonly expr: Expr; readonly aliased: boolean }
  /** `x.*` in a select list. */
  | { readonly kind: 'project-all'; readonly expr: Expr };

export interface OrderItem {
  readonly expr: Expr;
  readonly descending: boolean;
}

export interface SelectStatement {
  readonly kind: 'select';
  /** `SELECT VALUE x` */
  readonly value: boolean;
  readonly distinct: boolean;
  readonly items: readonly SelectItem[];
  readonly from: Expr;
  readonly where?: Expr;
  readonly orderBy?: readonly OrderItem[];
}

export type DmlOperation =
  | { readonly op: 'set'; readonly target: Expr; readonly value: Expr }
  | { readonly op: 'remove'; readonly target: Expr };

export interface InsertStatement {
  readonly kind: 'insert';
  readonly target: Expr;
  readonly value: Expr;
  readonly returning?: Returning;
}

/** `UPDATE t SET ... WHERE ...` and the FROM-first form `FROM t WHERE ... SET ...`. */
export interface UpdateStatement {
  readonly kind: 'update';
  readonly target: Expr;
  readonly operations: readonly DmlOperation[];
  readonly where?: Expr;
  readonly returning?: Returning;
}

export interface DeleteStatement {
  readonly kind: 'delete';
  readonly target: Expr;
  readonly where?: Expr;
  readonly returning?: Returning;
}

/** `EXISTS(SELECT ...)`, a condition check inside ExecuteTransaction. */
export interface ExistsStatement {
  readonly kind: 'exists';
  readonly select: SelectStatement;
}

export type Statement = SelectStatement | InsertStatement | UpdateStatement | DeleteStatement | ExistsStatement;

export interface ParsedStatement {
  readonly statement: Statement;
  /** How many `?` the statement holds. */
  readonly parameterCount: number;
}
