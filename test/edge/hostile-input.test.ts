import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeAuthorization, startEddy, type TestEddy } from '../helpers/eddy.js';
import { zip } from '../lambda/helpers.js';
import { generator } from '../helpers/random.js';

// Valid requests of every kind, mutated at random (seeded, so a failure
// replays): members dropped, renamed or replaced by hostile values (nulls,
// wrong types, huge strings, prototype keys, bad expressions). Whatever comes
// in, Eddy answers with a client error or a success, never a 5xx, and keeps
// serving. Each bug this found became a test of its own elsewhere too.

const HOSTILE: unknown[] = [
  null, true, false, 0, -1, 1e308, 1.5, '', 'x', '\u0000', '\ud800', 'a'.repeat(70_000), [], [null], {}, { S: 'x' }, { N: '1e999' },
  { B: '!!' }, { SS: [] }, { L: [{ M: { a: { NULL: false } } }] }, { M: null }, '#n', ':v', 'attribute_exists(#a) AND', 'SET a = list_append(b, :c)',
  JSON.parse('{"__proto__":{"x":1}}'), 1e20, 'All', '{"a":[{"numeric":[">",1]}]}', '{"maxReceiveCount":"0"}',
];

function mutate(value: unknown, g: ReturnType<typeof generator>, depth = 0): unknown {
  if (g.next() < 0.15 || depth > 6) return g.pick(HOSTILE);
  if (Array.isArray(value)) {
    const copy = value.map((element) => mutate(element, g, depth + 1));
    if (g.next() < 0.2) copy.push(g.pick(HOSTILE));
    return copy;
  }
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      if (g.next() < 0.1) continue;
      copy[g.next() < 0.05 ? `${key}X` : key] = g.next() < 0.6 ? member : mutate(member, g, depth + 1);
    }
    return copy;
  }
  return g.next() < 0.3 ? g.pick(HOSTILE) : value;
}

const TABLE = {
  TableName: 'Hostile',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'g', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  BillingMode: 'PAY_PER_REQUEST',
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  GlobalSecondaryIndexes: [{ IndexName: 'ByG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
};
const KEY = { pk: { S: 'a' }, sk: { N: '1' } };
const DYNAMODB: [string, object][] = [
  ['CreateTable', TABLE],
  ['PutItem', { TableName: 'Hostile', Item: { ...KEY, g: { S: 'x' }, m: { M: { l: { L: [{ N: '2' }] } } } }, ConditionExpression: 'attribute_not_exists(pk) OR #m.l[0] < :v', ExpressionAttributeNames: { '#m': 'm' }, ExpressionAttributeValues: { ':v': { N: '3' } }, ReturnValues: 'ALL_OLD' }],
  ['UpdateItem', { TableName: 'Hostile', Key: KEY, UpdateExpression: 'SET #m.l[1] = :v, c = if_not_exists(c, :z) + :v REMOVE x ADD s :s DELETE d :s', ExpressionAttributeNames: { '#m': 'm' }, ExpressionAttributeValues: { ':v': { N: '3' }, ':z': { N: '0' }, ':s': { SS: ['q'] } }, ReturnValues: 'UPDATED_NEW' }],
  ['GetItem', { TableName: 'Hostile', Key: KEY, ProjectionExpression: 'm.l[0], #p', ExpressionAttributeNames: { '#p': 'pk' } }],
  ['Query', { TableName: 'Hostile', KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b', FilterExpression: 'size(m) > :a', ExpressionAttributeValues: { ':p': { S: 'a' }, ':a': { N: '0' }, ':b': { N: '9' } }, Limit: 5, ScanIndexForward: false }],
  ['Query', { TableName: 'Hostile', IndexName: 'ByG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'x' } } }],
  ['Scan', { TableName: 'Hostile', Segment: 0, TotalSegments: 2, FilterExpression: 'contains(#m, :v)', ExpressionAttributeNames: { '#m': 'm' }, ExpressionAttributeValues: { ':v': { N: '2' } } }],
  ['BatchWriteItem', { RequestItems: { Hostile: [{ PutRequest: { Item: { pk: { S: 'b' }, sk: { N: '2' } } } }, { DeleteRequest: { Key: KEY } }] } }],
  ['BatchGetItem', { RequestItems: { Hostile: { Keys: [{ pk: { S: 'b' }, sk: { N: '2' } }], ProjectionExpression: 'pk' } } }],
  ['TransactWriteItems', { TransactItems: [{ Put: { TableName: 'Hostile', Item: { pk: { S: 'c' }, sk: { N: '3' } } } }, { ConditionCheck: { TableName: 'Hostile', Key: { pk: { S: 'b' }, sk: { N: '2' } }, ConditionExpression: 'attribute_exists(pk)' } }, { Update: { TableName: 'Hostile', Key: { pk: { S: 'd' }, sk: { N: '4' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { BOOL: true } } } }], ClientRequestToken: 'tok' }],
  ['TransactGetItems', { TransactItems: [{ Get: { TableName: 'Hostile', Key: { pk: { S: 'c' }, sk: { N: '3' } } } }] }],
  ['ExecuteStatement', { Statement: 'SELECT * FROM "Hostile" WHERE pk = ? AND sk > ?', Parameters: [{ S: 'a' }, { N: '0' }] }],
  ['ExecuteStatement', { Statement: 'UPDATE "Hostile" SET v = ? WHERE pk = ? AND sk = ? RETURNING ALL NEW *', Parameters: [{ N: '5' }, { S: 'c' }, { N: '3' }] }],
  ['BatchExecuteStatement', { Statements: [{ Statement: "INSERT INTO \"Hostile\" VALUE {'pk': ?, 'sk': ?}", Parameters: [{ S: 'e' }, { N: '5' }] }] }],
  ['ExecuteTransaction', { TransactStatements: [{ Statement: 'DELETE FROM "Hostile" WHERE pk = ? AND sk = ?', Parameters: [{ S: 'e' }, { N: '5' }] }] }],
  ['UpdateTimeToLive', { TableName: 'Hostile', TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }],
  ['DescribeTable', { TableName: 'Hostile' }],
  ['ListTables', { Limit: 2, ExclusiveStartTableName: 'Abc' }],
  ['TagResource', { ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Hostile', Tags: [{ Key: 'k', Value: 'v' }] }],
];

let t: TestEddy;
beforeAll(async () => {
  t = await startEddy();
});
afterAll(async () => {
  await t.close();
});

/** Sends one request and returns its status; a 5xx fails the test with the request that caused it. */
async function send(target: string, body: string, service: string): Promise<number> {
  const res = await fetch(t.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': target, Authorization: fakeAuthorization().replace('/dynamodb/', `/${service}/`) }, body });
  const text = await res.text();
  expect(res.status, `${target} ${body.slice(0, 500)} -> ${text.slice(0, 300)}`).toBeLessThan(500);
  return res.status;
}

describe('hostile input', () => {
  it('DynamoDB and DynamoDB Streams: 2,000 mutated requests, no 5xx, and Eddy still serves', async () => {
    const g = generator(1);
    // Unmutated, every request is valid.
    for (const [operation, input] of DYNAMODB) expect(await send(`DynamoDB_20120810.${operation}`, JSON.stringify(input), 'dynamodb'), operation).toBe(200);
    const statuses = new Set<number>();
    for (let i = 0; i < 1500; i++) {
      const [operation, input] = g.pick(DYNAMODB);
      const body = g.next() < 0.03 ? JSON.stringify(input).slice(0, Math.floor(g.next() * 100)) : JSON.stringify(mutate(input, g));
      statuses.add(await send(`DynamoDB_20120810.${operation}`, body, 'dynamodb'));
    }
    const list = await fetch(t.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDBStreams_20120810.ListStreams', Authorization: fakeAuthorization() }, body: '{}' });
    const streamArn = ((await list.json()) as { Streams: { StreamArn: string }[] }).Streams[0]!.StreamArn;
    const streams: [string, object][] = [
      ['DescribeStream', { StreamArn: streamArn, Limit: 10 }],
      ['GetShardIterator', { StreamArn: streamArn, ShardId: 'shardId-x', ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: '1' }],
      ['GetRecords', { ShardIterator: 'abc', Limit: 1000 }],
      ['ListStreams', { TableName: 'Hostile', Limit: 1 }],
    ];
    for (let i = 0; i < 500; i++) {
      const [operation, input] = g.pick(streams);
      statuses.add(await send(`DynamoDBStreams_20120810.${operation}`, JSON.stringify(mutate(input, g)), 'dynamodb'));
    }
    // The mutations reach past validation: some requests succeed.
    expect(statuses).toContain(200);
    expect(await send('DynamoDB_20120810.DescribeTable', '{"TableName":"Hostile"}', 'dynamodb')).toBe(200);
  }, 60_000);

  it('SQS over AWS JSON: 1,500 mutated requests, no 5xx, and Eddy still serves', async () => {
    const g = generator(2);
    const url = (name: string): string => `${t.endpoint}/000000000000/${name}`;
    const sqs: [string, object][] = [
      ['CreateQueue', { QueueName: 'hostile', Attributes: { VisibilityTimeout: '30', RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:hostile-dlq","maxReceiveCount":2}' }, tags: { a: 'b' } }],
      ['CreateQueue', { QueueName: 'hostile-dlq' }],
      ['CreateQueue', { QueueName: 'hostile.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }],
      ['SendMessage', { QueueUrl: url('hostile'), MessageBody: 'hello', DelaySeconds: 0, MessageAttributes: { n: { DataType: 'Number', StringValue: '1' }, b: { DataType: 'Binary', BinaryValue: 'AAE=' } } }],
      ['SendMessageBatch', { QueueUrl: url('hostile.fifo'), Entries: [{ Id: 'a', MessageBody: 'x', MessageGroupId: 'g' }, { Id: 'b', MessageBody: 'y', MessageGroupId: 'g', MessageDeduplicationId: 'd' }] }],
      ['ReceiveMessage', { QueueUrl: url('hostile'), MaxNumberOfMessages: 10, VisibilityTimeout: 0, AttributeNames: ['All'], MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['ApproximateReceiveCount'] }],
      ['ReceiveMessage', { QueueUrl: url('hostile.fifo'), MaxNumberOfMessages: 10, ReceiveRequestAttemptId: 'r' }],
      ['DeleteMessageBatch', { QueueUrl: url('hostile'), Entries: [{ Id: 'a', ReceiptHandle: 'x' }] }],
      ['ChangeMessageVisibility', { QueueUrl: url('hostile'), ReceiptHandle: 'x', VisibilityTimeout: 10 }],
      ['GetQueueAttributes', { QueueUrl: url('hostile'), AttributeNames: ['All'] }],
      ['SetQueueAttributes', { QueueUrl: url('hostile'), Attributes: { DelaySeconds: '1', RedriveAllowPolicy: '{"redrivePermission":"allowAll"}' } }],
      ['ListQueues', { QueueNamePrefix: 'h', MaxResults: 1, NextToken: 'x' }],
      ['StartMessageMoveTask', { SourceArn: 'arn:aws:sqs:us-east-1:000000000000:hostile-dlq', MaxNumberOfMessagesPerSecond: 10 }],
      ['TagQueue', { QueueUrl: url('hostile'), Tags: { x: 'y' } }],
    ];
    for (const [operation, input] of sqs) await send(`AmazonSQS.${operation}`, JSON.stringify(input), 'sqs');
    for (let i = 0; i < 1500; i++) {
      const [operation, input] = g.pick(sqs);
      await send(`AmazonSQS.${operation}`, JSON.stringify(mutate(input, g)), 'sqs');
    }
    expect(await send('AmazonSQS.GetQueueUrl', '{"QueueName":"hostile"}', 'sqs')).toBe(200);
  }, 60_000);

  it('Lambda over REST-JSON: 1,200 mutated requests (functions, configurations, event invoke configs, event source mappings), no 5xx, and Eddy still serves', async () => {
    const g = generator(4);
    const code = Buffer.from(zip({ 'index.mjs': 'export const handler = async (event) => event;' })).toString('base64');
    const role = 'arn:aws:iam::000000000000:role/r';
    const queueArn = 'arn:aws:sqs:us-east-1:000000000000:hostile-lambda';
    await send('AmazonSQS.CreateQueue', '{"QueueName":"hostile-lambda"}', 'sqs');
    const call = async (method: string, path: string, body?: string): Promise<number> => {
      const res = await fetch(`${t.endpoint}${path}`, { method, headers: { 'Content-Type': 'application/json', Authorization: fakeAuthorization().replace('/dynamodb/', '/lambda/') }, body });
      const text = await res.text();
      expect(res.status, `${method} ${path} ${(body ?? '').slice(0, 500)} -> ${text.slice(0, 300)}`).toBeLessThan(500);
      return res.status;
    };
    const requests: [string, string, object][] = [
      ['POST', '/2015-03-31/functions', { FunctionName: 'hostile-g', Runtime: 'nodejs20.x', Role: role, Handler: 'index.handler', Code: { ZipFile: code }, Environment: { Variables: { A: 'b' } }, Timeout: 3, Tags: { t: 'v' }, DeadLetterConfig: { TargetArn: queueArn } }],
      ['PUT', '/2015-03-31/functions/hostile/configuration', { Timeout: 5, Environment: { Variables: { X: 'y' } }, DeadLetterConfig: { TargetArn: '' } }],
      ['PUT', '/2015-03-31/functions/hostile/code', { ZipFile: code }],
      ['POST', '/2015-03-31/functions/hostile/invocations', { a: 1 }],
      ['PUT', '/2017-10-31/functions/hostile/concurrency', { ReservedConcurrentExecutions: 5 }],
      ['PUT', '/2019-09-25/functions/hostile/event-invoke-config', { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 100, DestinationConfig: { OnSuccess: { Destination: queueArn } } }],
      ['POST', '/2019-09-25/functions/hostile/event-invoke-config', { MaximumRetryAttempts: 0 }],
      ['POST', '/2015-03-31/event-source-mappings/', { FunctionName: 'hostile', EventSourceArn: queueArn, BatchSize: 10, FilterCriteria: { Filters: [{ Pattern: '{"body":{"a":[{"prefix":"x"}]}}' }] }, ScalingConfig: { MaximumConcurrency: 2 } }],
      ['POST', '/2017-03-31/tags/arn:aws:lambda:us-east-1:000000000000:function:hostile', { Tags: { a: 'b' } }],
    ];
    expect(await call('POST', '/2015-03-31/functions', JSON.stringify({ FunctionName: 'hostile', Runtime: 'nodejs20.x', Role: role, Handler: 'index.handler', Code: { ZipFile: code } }))).toBe(201);
    for (const [method, path, body] of requests) await call(method, path, JSON.stringify(body));
    // Strings a URL can carry (a lone surrogate cannot be percent-encoded).
    const qualifiers = HOSTILE.filter((value): value is string => typeof value === 'string' && !/[\ud800-\udfff]/.test(value));
    const reads = ['/2015-03-31/functions/hostile', '/2015-03-31/functions/', '/2015-03-31/event-source-mappings/?FunctionName=hostile&MaxItems=1', '/2019-09-25/functions/hostile/event-invoke-config', '/2019-09-25/functions/hostile/event-invoke-config/list?MaxItems=x', '/2015-03-31/event-source-mappings/not-a-uuid'];
    for (let i = 0; i < 1200; i++) {
      if (g.next() < 0.15) {
        await call(g.pick(['GET', 'DELETE']), g.pick(reads) + (g.next() < 0.3 ? `?Qualifier=${encodeURIComponent(g.pick(qualifiers))}` : ''));
        continue;
      }
      const [method, path, body] = g.pick(requests);
      await call(method, path, g.next() < 0.05 ? JSON.stringify(body).slice(0, Math.floor(g.next() * 50)) : JSON.stringify(mutate(body, g)));
    }
    await t.eddy.lambda.idle();
    // Still serving (the function itself may have been deleted by one of the requests).
    expect(await call('GET', '/2015-03-31/functions/')).toBe(200);
  }, 60_000);

  it('SNS over the Query protocol: 1,500 mutated requests, no 5xx, and Eddy still serves', async () => {
    const g = generator(3);
    const topic = 'arn:aws:sns:us-east-1:000000000000:hostile';
    const forms: Record<string, string>[] = [
      { Action: 'CreateTopic', Name: 'hostile', 'Attributes.entry.1.key': 'DisplayName', 'Attributes.entry.1.value': 'd' },
      { Action: 'Subscribe', TopicArn: topic, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:hostile', 'Attributes.entry.1.key': 'FilterPolicy', 'Attributes.entry.1.value': '{"a":["b"]}' },
      { Action: 'Publish', TopicArn: topic, Message: 'hello', Subject: 's', 'MessageAttributes.entry.1.Name': 'a', 'MessageAttributes.entry.1.Value.DataType': 'String', 'MessageAttributes.entry.1.Value.StringValue': 'b' },
      { Action: 'Publish', TopicArn: topic, Message: '{"default":"x","sqs":"y"}', MessageStructure: 'json' },
      { Action: 'PublishBatch', TopicArn: topic, 'PublishBatchRequestEntries.member.1.Id': 'a', 'PublishBatchRequestEntries.member.1.Message': 'm' },
      { Action: 'SetTopicAttributes', TopicArn: topic, AttributeName: 'DeliveryPolicy', AttributeValue: '{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":1,"maxDelayTarget":5,"numRetries":3}}}' },
      { Action: 'SetSubscriptionAttributes', SubscriptionArn: `${topic}:abc`, AttributeName: 'FilterPolicy', AttributeValue: '{"a":[{"anything-but":["x"]}]}' },
      { Action: 'GetTopicAttributes', TopicArn: topic },
      { Action: 'ListSubscriptionsByTopic', TopicArn: topic, NextToken: 'x' },
      { Action: 'ConfirmSubscription', TopicArn: topic, Token: 'abc' },
      { Action: 'TagResource', ResourceArn: topic, 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' },
    ];
    const values = HOSTILE.filter((value): value is string => typeof value === 'string');
    const post = async (form: Record<string, string>): Promise<number> => {
      const res = await fetch(t.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: fakeAuthorization().replace('/dynamodb/', '/sns/') }, body: new URLSearchParams(form).toString() });
      const text = await res.text();
      expect(res.status, `${JSON.stringify(form).slice(0, 500)} -> ${text.slice(0, 300)}`).toBeLessThan(500);
      return res.status;
    };
    for (const form of forms) await post(form);
    for (let i = 0; i < 1500; i++) {
      const form = { ...g.pick(forms) };
      for (const key of Object.keys(form)) {
        if (key === 'Action') continue;
        if (g.next() < 0.25) form[key] = g.pick(values);
        if (g.next() < 0.05) delete form[key];
      }
      if (g.next() < 0.1) form[g.pick(['Attributes.entry.2.key', 'MessageAttributes.entry.2.Value.DataType', 'PublishBatchRequestEntries.member.2.Id', 'MessageGroupId'])] = g.pick(values);
      await post(form);
    }
    expect(await post({ Action: 'GetTopicAttributes', TopicArn: topic })).toBe(200);
  }, 60_000);
});
