// A DynamoDB stream handler wrapped in middy with a small middleware that
// unmarshalls the new images, returning a partial batch response. LOG_FILE
// gets each event, PROCESSED each record handled successfully.
import { appendFileSync } from 'node:fs';
import middy from '@middy/core';
import { unmarshall } from '@aws-sdk/util-dynamodb';

const newImages = () => ({
  before: (request) => {
    appendFileSync(process.env.LOG_FILE, `${JSON.stringify(request.event)}\n`);
    request.event.items = request.event.Records.map((record) => ({ sequenceNumber: record.dynamodb.SequenceNumber, item: unmarshall(record.dynamodb.NewImage) }));
  },
});

const base = async (event) => {
  const batchItemFailures = [];
  for (const { sequenceNumber, item } of event.items) {
    if (item.poison) batchItemFailures.push({ itemIdentifier: sequenceNumber });
    else appendFileSync(process.env.PROCESSED, `${item.pk}\n`);
  }
  return { batchItemFailures };
};

export const handler = middy(base).use(newImages());
