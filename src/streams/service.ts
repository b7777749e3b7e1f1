import raw from '../models/dynamodbstreams.json' with { type: 'json' };
import type { ApiModel } from '../edge/api-model.js';
import type { JsonService, OperationHandler } from '../edge/json-protocol.js';
import { dynamoErrorType } from '../dynamodb/errors.js';
import type { StreamsDeps } from './context.js';
import { DescribeStream } from './operations/DescribeStream.js';
import { GetRecords } from './operations/GetRecords.js';
import { GetShardIterator } from './operations/GetShardIterator.js';
import { ListStreams } from './operations/ListStreams.js';

const operations = { ListStreams, DescribeStream, GetShardIterator, GetRecords };

/** The DynamoDB Streams API (`DynamoDBStreams_20120810.*`), served on Eddy's one port. */
export function createStreamsService(deps: StreamsDeps): JsonService {
  // Operations receive the request context; it inherits the dependencies (contextPrototype).
  const bound = operations as unknown as Record<string, OperationHandler>;
  return {
    targetPrefix: 'DynamoDBStreams_20120810',
    model: raw as unknown as ApiModel,
    contentType: 'application/x-amz-json-1.0',
    errorType: dynamoErrorType,
    opaqueShapes: new Set(['AttributeValue']),
    operations: bound,
    contextPrototype: deps,
  };
}
