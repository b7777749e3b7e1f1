import { DeleteItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCredentials } from '../helpers/eddy.js';
import { createFunction } from '../lambda/helpers.js';
import { createMapping, esmFixture, until, type EsmFixture } from '../lambda/esm-support.js';

let f: EsmFixture;
let sns: SNSClient;
let sqs: SQSClient;
beforeAll(async () => {
  f = await esmFixture();
  sns = new SNSClient({ endpoint: f.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
  sqs = new SQSClient({ endpoint: f.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
});
afterAll(async () => {
  sns.destroy();
  sqs.destroy();
  await f.close();
});

describe('delivery to Lambda', () => {
  it("invokes the function asynchronously with AWS's SNS event", async () => {
    const functionArn = await f.recordingFunction('sns-handler');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'to-lambda' }));
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: functionArn }));
    const { MessageId } = await sns.send(
      new PublishCommand({ TopicArn, Message: 'hello function', MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' }, n: { DataType: 'Number', StringValue: '7' } } }),
    );
    await sns.send(new PublishCommand({ TopicArn, Message: 'with subject', Subject: 'Hi' }));
    await f.eddy.sns.idle();
    await f.eddy.lambda.idle();
    const events = f.invocations('sns-handler') as unknown as { Records: { Sns: Record<string, unknown> }[] }[];
    expect(events).toHaveLength(2);
    const byMessage = new Map(events.map((e) => [e.Records[0]!.Sns.Message, e]));
    const event = byMessage.get('hello function')!;
    expect(event.Records).toHaveLength(1);
    const record = event.Records[0]! as Record<string, unknown>;
    expect(Object.keys(record)).toEqual(['EventSource', 'EventVersion', 'EventSubscriptionArn', 'Sns']);
    expect(record).toMatchObject({ EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: SubscriptionArn });
    const message = record.Sns as Record<string, unknown>;
    expect(Object.keys(message)).toEqual([
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertUrl',
      'UnsubscribeUrl',
      'MessageAttributes',
    ]);
    expect(message).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn,
      Subject: null,
      Message: 'hello function',
      SignatureVersion: '1',
      UnsubscribeUrl: `${f.endpoint}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(SubscriptionArn!)}`,
      MessageAttributes: { kind: { Type: 'String', Value: 'greeting' }, n: { Type: 'Number', Value: '7' } },
    });
    expect(message.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(byMessage.get('with subject')!.Records[0]!.Sns).toMatchObject({ Subject: 'Hi', MessageAttributes: {} });
  });
});

/** The guide's fan-out function, as printed (plus the logger the snippet assumes). */
const FANOUT_PY = `
import boto3
import json
import logging
import os

logger = logging.getLogger()
sns = boto3.client("sns")
TOPIC_ARN = os.environ["ORDER_CHANGE_TOPIC_ARN"]

def lambda_handler(event: dict, context) -> dict:
    """Fan-out Lambda: reads stream, publishes to SNS."""
    batch_item_failures = []
    for record in event["Records"]:
        sequence_number = record["dynamodb"]["SequenceNumber"]
        try:
            event_name = record["eventName"]
            dynamo = record["dynamodb"]
            message = {
                "eventName": event_name,
                "sequenceNumber": sequence_number,
                "tableName": record["eventSourceARN"].split("/")[1],
                "keys": dynamo.get("Keys", {}),
                "newImage": dynamo.get("NewImage"),
                "oldImage": dynamo.get("OldImage"),
            }
            sns.publish(
                TopicArn=TOPIC_ARN,
                Message=json.dumps(message),
                MessageAttributes={
                    # Allows SQS subscribers to filter by event type
                    "eventName": {
                        "DataType": "String",
                        "StringValue": event_name
                    }
                }
            )
        except Exception as e:
            logger.error(f"Fan-out failed for seq={sequence_number}: {e}")
            batch_item_failures.append({"itemIdentifier": sequence_number})
    return {"batchItemFailures": batch_item_failures}
`;

describe("the guide's fan-out: stream -> function -> SNS -> three queues -> three consumer functions", () => {
  it('delivers every change to the unfiltered queues and only INSERT and MODIFY to the cache queue', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'order-change-events' }));
    const queues: Record<string, { url: string; arn: string }> = {};
    for (const name of ['order-opensearch-sync', 'order-analytics-events', 'order-cache-invalidation']) {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      queues[name] = { url: QueueUrl!, arn: Attributes!.QueueArn! };
    }
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queues['order-opensearch-sync']!.arn }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queues['order-analytics-events']!.arn }));
    await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queues['order-cache-invalidation']!.arn, Attributes: { FilterPolicy: JSON.stringify({ eventName: ['INSERT', 'MODIFY'] }) } }),
    );
    await createFunction(f.lambda, 'order-fanout', { 'fanout.py': FANOUT_PY }, { Runtime: 'python3.12', Handler: 'fanout.lambda_handler', Environment: { Variables: { ORDER_CHANGE_TOPIC_ARN: TopicArn! } } });
    await createMapping(f, 'order-fanout', { FunctionResponseTypes: ['ReportBatchItemFailures'] });

    // Each queue is consumed by its own function through an SQS event source mapping.
    for (const name of Object.keys(queues)) {
      await f.recordingFunction(name);
      await f.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: queues[name]!.arn, BatchSize: 10 }));
    }

    await f.put('order-1', { status: { S: 'new' } });
    await f.ddb.send(new UpdateItemCommand({ TableName: f.table, Key: { pk: { S: 'order-1' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'paid' } } }));
    await f.ddb.send(new DeleteItemCommand({ TableName: f.table, Key: { pk: { S: 'order-1' } } }));

    /** What a consumer function received: each SQS record's body is SNS's envelope around the fan-out's message. */
    const consumed = (name: string): { eventName: string; attribute: string; keys: unknown }[] =>
      (f.invocations(name) as unknown as { Records: { body: string; eventSource: string }[] }[]).flatMap((event) =>
        event.Records.map((record) => {
          expect(record.eventSource).toBe('aws:sqs');
          const envelope = JSON.parse(record.body);
          const message = JSON.parse(envelope.Message);
          return { eventName: message.eventName, attribute: envelope.MessageAttributes.eventName.Value, keys: message.keys };
        }),
      );
    const total = (): number => Object.keys(queues).reduce((sum, name) => sum + consumed(name).length, 0);
    await until(f, () => total() >= 8, 20_000);
    expect(await f.eddy.mappings.drain(20_000)).toBe(true);

    const names = (events: { eventName: string }[]): string[] => events.map((e) => e.eventName).sort();
    const opensearch = consumed('order-opensearch-sync');
    expect(names(opensearch)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    expect(opensearch.every((e) => e.attribute === e.eventName)).toBe(true);
    expect(opensearch[0]!.keys).toEqual({ pk: { S: 'order-1' } });
    expect(names(consumed('order-analytics-events'))).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    expect(names(consumed('order-cache-invalidation'))).toEqual(['INSERT', 'MODIFY']);
    // Consumed messages are deleted from their queues.
    for (const { url } of Object.values(queues)) {
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
      expect(Attributes).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
    }
  });
});
