/**
 * DynamoDB's PartiQL error texts. Those marked "pinned" were captured from
 * real DynamoDB (the paritysuite/dynamodb-conformance suite, tier2/partiql and
 * tier3/error-messages/partiql*, and AWS-captured emulator tests); the rest
 * are DynamoDB's own PartiQL message table (ValidationExceptionMessages, as
 * shipped in DynamoDB Local) and fill the gaps where no capture exists.
 */
import { AwsError, validationError } from '../../edge/errors.js';

/** Where a token of the statement is: 1-based line and column, and its length in characters. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  readonly length: number;
}

/** DynamoDB appends ` at line:column:length` to messages about one token of the statement. */
export function at(message: string, position: SourcePosition | undefined): string {
  return position ? `${message} at ${position.line}:${position.column}:${position.length}` : message;
}

export const NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: ";

/**
 * A statement the parser cannot read (pinned). The detail is empty for a
 * token the lexer cannot read at all (an unconvertible number, `#`, an
 * unterminated comment).
 */
export class PartiqlSyntaxError extends Error {
  constructor(readonly detail: string) {
    super(`${NOT_WELL_FORMED}${detail}`);
  }
}

export const notWellFormed = (detail: string): AwsError => validationError(`${NOT_WELL_FORMED}${detail}`);

/** A ValidationException, optionally pointing at a token of the statement. */
export const invalid = (message: string, position?: SourcePosition): AwsError => validationError(at(message, position));

// Syntax details (pinned unless noted).
export const LEFTOVER_TOKEN = 'Unexpected token after expression';
export const UNEXPECTED_TERM = 'Unexpected term';
export const UNEXPECTED_KEYWORD = 'Unexpected keyword';
export const INVALID_PATH_DOT = 'Invalid path dot component';
export const EXPECTED_DML = 'Expected data manipulation';
/** Not captured: Eddy's wording for the remaining parser states. */
export const EXPECTED_KEYWORD = 'Expected keyword';
export const EXPECTED_TOKEN = 'Unexpected token';

// Statement-level refusals.
export const PARAMETER_COUNT = "Number of parameters in request and statement don't match.";
export const ALIASING = 'Aliasing is not supported';
export const MISSING_KEY_EQUALITY = 'Where clause does not contain a mandatory equality on all key attributes';
export const DUPLICATE_ITEM = 'Duplicate primary key exists in table';
export const NO_SUCH_INDEX = 'The table does not have the specified index';
export const EXISTS_OUTSIDE_TRANSACTION = 'EXISTS can only be used in ExecuteTransaction write requests.';
export const BATCH_SELECT_NEEDS_KEY = 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.';
export const TRANSACTION_SELECT_NEEDS_KEY = 'Select statements within ExecuteTransaction must specify the primary key in the where clause.';
export const TRANSACTION_INDEX_READ = 'Reads on indices are not supported within transactions.';
export const TRANSACTION_RETURNING = 'RETURNING clause is not supported in ExecuteTransaction.';
export const EXISTS_NEEDS_KEY_AND_CONDITION = 'EXISTS() must contain a single item read with additional condition';
export const OVERLAPPING_CONDITIONS = 'Overlapping conditions with range keys are not supported in where clause';
export const TOO_MANY_READS = 'Too many decomposed read operations for a given query.';
export const WHERE_NOT_BOOLEAN = 'WHERE clause must contain an expression that resolves to a boolean';
export const AND_OR_OPERANDS = 'The arguments to AND/OR must be Expressions';
export const NOT_OPERAND = 'The argument to NOT must be a Type or Expression';
export const MISSING_NEEDS_IS = 'MISSING must be compared using IS operator';
export const IS_OPERAND = 'The left hand side argument to IS must be a Variable Reference, Literal, or Path';
export const IS_IN_UPDATE = 'IS operator is not supported in update expressions';
export const IN_OPERANDS =
  'IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member';
export const EMPTY_BAG = 'Empty bags are not supported';
export const BAG_MEMBER_TYPE = 'Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags';
export const EMPTY_PATH_COMPONENT = 'Path component cannot be an empty string';
export const UNEXPECTED_PATH_COMPONENT = 'Unexpected path component';
export const PATH_STARTS_WITH_INDEX = 'A path cannot start with a list index';
export const UNPIVOT_PATH = 'Unpivot path component like a.*.b are not supported';
export const WILDCARD_PATH = 'Wildcard path component like a[*].b are not supported';
export const STAR_AND_OTHERS = "Other attributes should not be present in the projection when '*' is used.";
export const SELECT_VALUE = "Select projection doesn't support value or pivot keywords";
export const SELECT_PROJECT_ALL = "Changing item's hierarchy while reading isn't supported";
export const SINGLE_SOURCE = 'Only select from a single table or index is supported.';
export const FROM_PATH_TOO_LONG = 'A path may contain at most 2 components in the FROM clause';
export const FROM_LIST_INDEX = 'Invalid list expression in source.';
export const UNEXPECTED_FROM_SOURCE = 'Unexpected from source';
export const DML_ON_INDEX = 'This operation is not supported on an index';
export const DML_FROM = 'FROM clause may only contain a single table name in data manipulation statements';
export const TABLE_NAME =
  "Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'.";
export const INSERT_ITEM_FORMAT =
  'Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.';
export const INSERT_RETURNING = 'RETURNING is not supported in INSERT';
export const RETURNING_MULTIPLE = 'Invalid syntax with multiple returning elements in RETURNING clause';
export const RETURNING_STAR = "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause";
export const ORDER_BY_NEEDS_WHERE = 'Must have WHERE clause in the statement when using ORDER BY clause.';
export const ORDER_BY_NEEDS_HASH_KEY =
  'Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.';
export const NEXT_TOKEN_INVALID = 'Invalid NextToken';
export const NEXT_TOKEN_MISMATCH = 'NextToken does not match request';
export const NEXT_TOKEN_EXPIRED = 'Given NextToken has already expired';
export const NESTING_UNDER = 'Nesting Levels have exceeded supported limits';
export const BATCH_MIXED = 'Read and write requests together in the same batch is not supported.';
export const BATCH_DUPLICATE_KEYS = 'Provided list of item keys contains duplicates';

export const deleteReturning = (clause: string): string =>
  `Invalid returning clause: RETURNING ${clause}. Only RETURNING ALL OLD * is allowed in DELETE statements.`;
export const multipleKeyConditions = (key: string): string =>
  `Multiple conditions on same key ${key}. Only single item Update/Insert/Delete are supported`;
export const keyTypeMismatch = (key: string): string =>
  `Key attribute's data type should match its data type in table's schema: Key ${key}`;
export const keyValueType = (key: string, type: string): string =>
  `Key value must be of type S, N, or B. Key name: ${key}, Key type: ${type}`;
export const nestedKeyPath = (key: string): string =>
  `Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key ${key}`;
export const unsupportedClause = (clause: string): string => `Unsupported clause: ${clause}`;
export const unsupportedToken = (token: string): string => `Unsupported token in expression: ${token}`;
export const unrecognizedFunction = (name: string): string => `Unrecognized function: ${name}`;
export const unsupportedConditionOperator = (op: string): string =>
  `Unsupported operator in Condition Expression. Operator: ${op}`;
export const unsupportedUpdateOperator = (op: string): string => `Unsupported operator in Update Expression. Operator: ${op}`;
export const unrecognizedAssignmentTarget = (target: string): string => `Unrecognized assignment target: ${target}`;
export const unsupportedDataType = (type: string, path: string): string => `Unsupported data type: ${type} under key ${path}`;
export const tupleKeyType = (type: string, path: string): string =>
  `Tuple keys must be of type String. Actual type: ${type} under ${path}`;
export const duplicateTupleKey = (key: string, path: string): string => `Duplicate keys in tuple. Key: ${key} under ${path}`;
export const listIndexRange = (index: string): string => `List index is not within the allowable range; index: [${index}]`;
export const duplicateProjection = (name: string): string => `Duplicate identifiers in select clause: ${name}`;
export const unsupportedIsType = (type: string): string =>
  `Unsupported data type for IS operator: ${type}. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]`;
export const orderByKey = (name: string): string => `Variable reference ${name} in ORDER BY clause must be part of the primary key`;
export const setFunctionArity = (fn: string): string => `${fn} must have exactly two arguments`;
export const setFunctionFirstArgument = (fn: string): string => `The first argument to ${fn} must equal the assignment value`;
export const setFunctionSecondArgument = (fn: string): string => `The second argument to ${fn} must be a value with type SET`;
export const negativeZero = (path: string): string => `Negative zero decimal is not supported under key ${path}`;

/**
 * Eddy refuses the few PartiQL constructs DynamoDB accepts that it does not
 * simulate yet, naming the construct, rather than running something else.
 */
export const eddyRefuses = (construct: string): AwsError =>
  validationError(`Eddy does not support ${construct} in PartiQL statements yet`);
