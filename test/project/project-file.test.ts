import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProjectFile, ProjectFileError, readProjectFile } from '../../src/project/project-file.js';

describe('project file', () => {
  it('reads YAML sections as AWS inputs, resolving code directories against the file', () => {
    const project = parseProjectFile(
      `
tables:
  - TableName: Orders
    KeySchema: [{AttributeName: pk, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
    BillingMode: PAY_PER_REQUEST
queues:
  - QueueName: orders-dlq
    Attributes: {MessageRetentionPeriod: 1209600}
topics:
  - Name: order-changes
    Subscriptions:
      - {Protocol: sqs, Endpoint: orders-dlq, Attributes: {FilterPolicy: {eventName: [INSERT]}}}
functions:
  - FunctionName: processor
    Runtime: nodejs20.x
    Handler: index.handler
    Code: ./functions/processor
  - FunctionName: absolute
    Code: /srv/code
eventSourceMappings:
  - FunctionName: processor
    Table: Orders
    BatchSize: 10
`,
      '/projects/shop/eddy.config.yaml',
    );
    expect(project.tables).toEqual([
      {
        TableName: 'Orders',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      },
    ]);
    expect(project.queues).toEqual([{ QueueName: 'orders-dlq', Attributes: { MessageRetentionPeriod: 1209600 } }]);
    expect(project.topics[0]!.Subscriptions).toEqual([{ Protocol: 'sqs', Endpoint: 'orders-dlq', Attributes: { FilterPolicy: { eventName: ['INSERT'] } } }]);
    expect(project.functions.map((f) => f.Code)).toEqual(['/projects/shop/functions/processor', '/srv/code']);
    expect(project.eventSourceMappings).toEqual([{ FunctionName: 'processor', Table: 'Orders', BatchSize: 10 }]);
  });

  it('reads JSON files by their extension, and treats an empty file as declaring nothing', () => {
    const json = parseProjectFile('{"queues": [{"QueueName": "q"}]}', '/p/eddy.config.json');
    expect(json.queues).toEqual([{ QueueName: 'q' }]);
    expect(json.tables).toEqual([]);
    const empty = parseProjectFile('', '/p/eddy.config.yaml');
    expect(empty).toMatchObject({ tables: [], queues: [], topics: [], functions: [], eventSourceMappings: [] });
  });

  it.each([
    ['tables: [', /is not valid YAML/],
    ['- a\n- b', /the top level must be a mapping/],
    ['tabels: []', /unknown section "tabels"/],
    ['tables: {TableName: T}', /"tables" must be a list/],
    ['tables: [{KeySchema: []}]', /tables\[0\] needs TableName/],
    ['queues: [7]', /queues\[0\] must be a mapping/],
    ['topics: [{Name: t, Subscriptions: [{Protocol: sqs}]}]', /topics\[0\] \(t\)\.Subscriptions\[0\] needs Protocol and Endpoint/],
    ['eventSourceMappings: [{FunctionName: f}]', /eventSourceMappings\[0\] \(f\) needs exactly one of EventSourceArn, Table or Queue/],
    ['eventSourceMappings: [{FunctionName: f, Table: T, Queue: q}]', /needs exactly one of/],
  ])('refuses %j naming the place', (text, message) => {
    expect(() => parseProjectFile(text, '/p/eddy.config.yaml')).toThrow(ProjectFileError);
    expect(() => parseProjectFile(text, '/p/eddy.config.yaml')).toThrow(message);
  });

  it('refuses invalid JSON and a missing file', () => {
    expect(() => parseProjectFile('{"tables": ', '/p/x.json')).toThrow(/is not valid JSON/);
    const dir = mkdtempSync(join(tmpdir(), 'eddy-project-'));
    expect(() => readProjectFile(join(dir, 'missing.yaml'))).toThrow(/cannot read the project file/);
    writeFileSync(join(dir, 'eddy.config.yaml'), 'functions: [{FunctionName: f, Code: code}]\n');
    expect(readProjectFile(join(dir, 'eddy.config.yaml')).functions[0]!.Code).toBe(join(dir, 'code'));
  });
});
