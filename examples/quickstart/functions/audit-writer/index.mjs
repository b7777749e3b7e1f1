// Audit log: one item per change of an order, written by the stream handler.
// AWS_ENDPOINT_URL is set by Eddy, so the client needs no endpoint config.
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

const dynamodb = new DynamoDBClient({});

export const handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    const { SequenceNumber, Keys, NewImage, OldImage } = record.dynamodb;
    try {
      await dynamodb.send(
        new PutItemCommand({
          TableName: process.env.AUDIT_TABLE,
          Item: {
            orderId: Keys.orderId,
            sequenceNumber: { S: SequenceNumber },
            eventName: { S: record.eventName },
            ...(OldImage && { before: { M: OldImage } }),
            ...(NewImage && { after: { M: NewImage } }),
          },
        }),
      );
    } catch (error) {
      console.error(`audit of ${SequenceNumber} failed`, error);
      batchItemFailures.push({ itemIdentifier: SequenceNumber });
    }
  }
  return { batchItemFailures };
};
