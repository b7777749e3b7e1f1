/**
 * The DynamoDB API model request validation runs against: botocore's model
 * with the few constraints and orders where DynamoDB's own front end differs
 * from what the model says.
 */
import raw from '../models/dynamodb.json' with { type: 'json' };
import type { ApiModel } from '../edge/api-model.js';

/**
 * The order DynamoDB lists an enum's values in its "Member must satisfy enum
 * value set: [...]" messages, which is not the model's. From DynamoDB's
 * answers recorded by the Parity Suite (ReturnValue, ConditionalOperator,
 * ReturnConsumedCapacity, ReturnItemCollectionMetrics, BillingMode; 2026) and
 * by dynalite's tests (the others). An override only applies while the model
 * has exactly the same values, so a model update cannot silently lose one.
 */
const AWS_ENUM_ORDER: Record<string, readonly string[]> = {
  ReturnValue: ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'],
  ConditionalOperator: ['OR', 'AND'],
  ReturnConsumedCapacity: ['INDEXES', 'TOTAL', 'NONE'],
  ReturnItemCollectionMetrics: ['SIZE', 'NONE'],
  BillingMode: ['PROVISIONED', 'PAY_PER_REQUEST'],
  ScalarAttributeType: ['B', 'N', 'S'],
  KeyType: ['HASH', 'RANGE'],
  ProjectionType: ['ALL', 'INCLUDE', 'KEYS_ONLY'],
  Select: ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'],
  ComparisonOperator: ['IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS'],
  AttributeAction: ['ADD', 'PUT', 'DELETE'],
};

/**
 * Constraints DynamoDB enforces that the published model no longer carries:
 * a key schema has at most two elements ("Value '[KeySchemaElement(...), ...]'
 * at 'keySchema' failed to satisfy constraint: Member must have length less
 * than or equal to 2", Parity Suite capture, eu-west-2, 2026).
 */
const AWS_MAX_LENGTH: Record<string, number> = {
  KeySchema: 2,
};

/**
 * Members DynamoDB still requires that the published model made optional:
 * CreateTable without AttributeDefinitions or KeySchema is "Value null at
 * 'keySchema' failed to satisfy constraint: Member must not be null" (dynalite's
 * notNull, recorded from DynamoDB), not a table.
 */
const AWS_REQUIRED: Record<string, readonly string[]> = {
  CreateTableInput: ['AttributeDefinitions', 'KeySchema'],
};

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value) => b.includes(value));
}

function dynamoDbModel(): ApiModel {
  const model = structuredClone(raw) as unknown as ApiModel;
  for (const [name, order] of Object.entries(AWS_ENUM_ORDER)) {
    const shape = model.shapes[name];
    if (shape?.enum && sameValues(shape.enum, order)) shape.enum = [...order];
  }
  for (const [name, max] of Object.entries(AWS_MAX_LENGTH)) {
    const shape = model.shapes[name];
    if (shape && shape.max === undefined) shape.max = max;
  }
  for (const [name, members] of Object.entries(AWS_REQUIRED)) {
    const shape = model.shapes[name];
    if (shape) shape.required = [...new Set([...(shape.required ?? []), ...members])];
  }
  return model;
}

export const DYNAMODB_MODEL: ApiModel = dynamoDbModel();
