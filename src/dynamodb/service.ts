import type { JsonService, OperationHandler } from '../edge/json-protocol.js';
import { configureValidation } from '../edge/request-validation.js';
import type { DynamoDeps } from './context.js';
import { dynamoErrorType } from './errors.js';
import { newerConstraintReport } from './front-end.js';
import { batchGetConstraintReport, batchWriteConstraintReport } from './item-writes/index.js';
import { DYNAMODB_MODEL } from './model.js';
import { tableNameConstraints } from './table-catalog.js';
import { BatchExecuteStatement } from './operations/BatchExecuteStatement.js';
import { BatchGetItem } from './operations/BatchGetItem.js';
import { BatchWriteItem } from './operations/BatchWriteItem.js';
import { CreateTable } from './operations/CreateTable.js';
import { DeleteItem } from './operations/DeleteItem.js';
import { DeleteTable } from './operations/DeleteTable.js';
import { DescribeEndpoints } from './operations/DescribeEndpoints.js';
import { DescribeLimits } from './operations/DescribeLimits.js';
import { DescribeTable } from './operations/DescribeTable.js';
import { DescribeTimeToLive } from './operations/DescribeTimeToLive.js';
import { ExecuteStatement } from './operations/ExecuteStatement.js';
import { ExecuteTransaction } from './operations/ExecuteTransaction.js';
import { GetItem } from './operations/GetItem.js';
import { ListTables } from './operations/ListTables.js';
import { ListTagsOfResource } from './operations/ListTagsOfResource.js';
import { PutItem } from './operations/PutItem.js';
import { Query } from './operations/Query.js';
import { Scan } from './operations/Scan.js';
import { TagResource } from './operations/TagResource.js';
import { TransactGetItems } from './operations/TransactGetItems.js';
import { TransactWriteItems } from './operations/TransactWriteItems.js';
import { UntagResource } from './operations/UntagResource.js';
import { UpdateItem } from './operations/UpdateItem.js';
import { UpdateTable } from './operations/UpdateTable.js';
import { UpdateTimeToLive } from './operations/UpdateTimeToLive.js';

/** Every DynamoDB operation Eddy implements; any other answers UnknownOperationException. */
const operations = {
  CreateTable,
  DescribeTable,
  ListTables,
  DeleteTable,
  UpdateTable,
  TagResource,
  UntagResource,
  ListTagsOfResource,
  UpdateTimeToLive,
  DescribeTimeToLive,
  PutItem,
  GetItem,
  DeleteItem,
  UpdateItem,
  Query,
  Scan,
  BatchGetItem,
  BatchWriteItem,
  TransactWriteItems,
  TransactGetItems,
  ExecuteStatement,
  BatchExecuteStatement,
  ExecuteTransaction,
  DescribeLimits,
  DescribeEndpoints,
};

// DynamoDB reports constraint violations in the order of its validator's
// HashMap, and words those of the item writes in its newer framework's way.
configureValidation(DYNAMODB_MODEL, {
  memberOrder: 'java-hash',
  // The model allows an ARN; a plain name must also be 3 to 255 of [a-zA-Z0-9_.-].
  memberChecks: { TableName: tableNameConstraints },
  report: {
    PutItemInput: newerConstraintReport('PutItem'),
    UpdateItemInput: newerConstraintReport('UpdateItem'),
    DeleteItemInput: newerConstraintReport('DeleteItem'),
    BatchGetItemInput: batchGetConstraintReport,
    BatchWriteItemInput: batchWriteConstraintReport,
  },
});

export function createDynamoDbService(deps: DynamoDeps): JsonService {
  // Operations receive the request context; it inherits the dependencies (contextPrototype).
  const bound = operations as unknown as Record<string, OperationHandler>;
  return {
    targetPrefix: 'DynamoDB_20120810',
    model: DYNAMODB_MODEL,
    contentType: 'application/x-amz-json-1.0',
    errorType: dynamoErrorType,
    // Attribute values are checked by src/dynamodb/values with DynamoDB's own texts.
    opaqueShapes: new Set(['AttributeValue']),
    operations: bound,
    contextPrototype: deps,
  };
}
