// A DynamoDB stream handler written with Powertools' batch utility, as users
// write it for AWS. Eddy runs it from this directory, so the package resolves
// from the project's node_modules. LOG_FILE gets each event, PROCESSED each
// record handled successfully.
import { appendFileSync } from 'node:fs';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { unmarshall } from '@aws-sdk/util-dynamodb';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

const recordHandler = async (record) => {
  const item = unmarshall(record.dynamodb.NewImage);
  if (item.poison) throw new Error(`cannot process ${item.pk}`);
  appendFileSync(process.env.PROCESSED, `${item.pk}\n`);
};

export const handler = async (event, context) => {
  appendFileSync(process.env.LOG_FILE, `${JSON.stringify(event)}\n`);
  return processPartialResponse(event, recordHandler, processor, { context });
};
