import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiModel } from '../../src/edge/api-model.js';
import { AwsError } from '../../src/edge/errors.js';
import { createEdge } from '../../src/edge/server.js';
import type { QueryRequestContext, QueryService } from '../../src/edge/query-protocol.js';

/**
 * A small Query model with every wire form the codec knows: locationNames,
 * flattened and wrapped lists and maps, nested structures, scalars of each
 * type. Echo returns its input, so one request checks parsing and writing.
 */
const model = {
  metadata: { protocol: 'query', apiVersion: '2020-01-01' },
  operations: {
    Echo: { name: 'Echo', input: { shape: 'EchoInput' }, output: { shape: 'EchoInput', resultWrapper: 'EchoResult' } },
    Fail: { name: 'Fail', input: { shape: 'FailInput' } },
    Nothing: { name: 'Nothing' },
    NotBuilt: { name: 'NotBuilt' },
    Where: { name: 'Where', output: { shape: 'WhereOutput', resultWrapper: 'WhereResult' } },
  },
  shapes: {
    EchoInput: {
      type: 'structure',
      required: ['Name'],
      members: {
        Name: { shape: 'Name' },
        Count: { shape: 'Int' },
        Ratio: { shape: 'Double' },
        Enabled: { shape: 'Bool' },
        At: { shape: 'Time' },
        Data: { shape: 'Blob' },
        Tags: { shape: 'TagList' },
        Ids: { shape: 'FlatIds', locationName: 'Id' },
        Names: { shape: 'NamedList' },
        Attributes: { shape: 'AttributeMap', locationName: 'Attribute' },
        Values: { shape: 'ValueMap' },
        Inner: { shape: 'Inner' },
      },
    },
    Name: { type: 'string', min: 1, max: 8 },
    Int: { type: 'integer' },
    Double: { type: 'double' },
    Bool: { type: 'boolean' },
    Time: { type: 'timestamp' },
    Blob: { type: 'blob' },
    String: { type: 'string' },
    Tag: { type: 'structure', required: ['Key'], members: { Key: { shape: 'String' }, Value: { shape: 'String' } } },
    TagList: { type: 'list', member: { shape: 'Tag' } },
    FlatIds: { type: 'list', member: { shape: 'String' }, flattened: true },
    NamedList: { type: 'list', member: { shape: 'String', locationName: 'Item' } },
    AttributeMap: { type: 'map', key: { shape: 'String', locationName: 'Name' }, value: { shape: 'String', locationName: 'Value' }, flattened: true },
    ValueMap: { type: 'map', key: { shape: 'String', locationName: 'Name' }, value: { shape: 'Typed', locationName: 'Value' } },
    Typed: { type: 'structure', required: ['DataType'], members: { DataType: { shape: 'String' }, StringValue: { shape: 'String' } } },
    Inner: { type: 'structure', members: { Deep: { shape: 'String', locationName: 'deep' } } },
    FailInput: { type: 'structure', members: { How: { shape: 'String' } } },
    WhereOutput: { type: 'structure', members: { Path: { shape: 'String' }, Region: { shape: 'String' }, Account: { shape: 'String' } } },
    NotFoundException: { type: 'structure', members: { message: { shape: 'String' } }, error: { code: 'NotFound', httpStatusCode: 404, senderFault: true }, exception: true },
  },
} as unknown as ApiModel;

const service: QueryService = {
  model,
  xmlNamespace: 'http://example.com/doc/2020-01-01/',
  signingName: 'example',
  unsignedOperations: new Set(['Where']),
  operations: {
    Echo: (input) => input,
    Fail: (input: { How?: string }) => {
      if (input.How === 'shape') throw new AwsError('NotFoundException', 'Thing does not exist');
      if (input.How === 'wire') throw new AwsError('NotFound', 'Thing <really> does not exist');
      if (input.How === 'unknown') throw new AwsError('AWS.Example.Odd', 'odd', 409);
      throw new Error('boom');
    },
    Nothing: () => undefined,
    Where: (_input, ctx) => ({ Path: (ctx as QueryRequestContext).path, Region: ctx.region, Account: ctx.accountId }),
  },
};

let server: Server;
let endpoint: string;
const internalErrors: unknown[] = [];

beforeAll(async () => {
  server = createEdge({
    jsonServices: [],
    queryServices: [service],
    defaultRegion: 'us-east-1',
    accountId: '000000000000',
    onInternalError: (error) => internalErrors.push(error),
    admin: () => false,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

const signed = (service = 'example', region = 'eu-west-1'): string =>
  `AWS4-HMAC-SHA256 Credential=AKID/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=00`;

async function post(form: Record<string, string>, headers: Record<string, string> = { Authorization: signed() }, path = '/') {
  const res = await fetch(endpoint + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The body between the result wrapper's tags. */
const resultOf = (text: string): string => /<EchoResult>(.*)<\/EchoResult>/s.exec(text)?.[1] ?? `no result in ${text}`;

describe('AWS Query protocol codec', () => {
  it('reads every wire form into the input and writes it back as the model says', async () => {
    const res = await post({
      Action: 'Echo',
      Version: '2020-01-01',
      Name: 'a&b<c>',
      Count: '42',
      Ratio: '1.5',
      Enabled: 'true',
      At: '2026-01-02T03:04:05Z',
      Data: Buffer.from('hi').toString('base64'),
      'Tags.member.2.Key': 'k2',
      'Tags.member.1.Key': 'k1',
      'Tags.member.1.Value': 'v1',
      'Id.1': 'first',
      'Id.2': 'second',
      'Names.Item.1': 'n1',
      'Attribute.1.Name': 'Policy',
      'Attribute.1.Value': '{"a":1}',
      'Values.entry.1.Name': 'color',
      'Values.entry.1.Value.DataType': 'String',
      'Values.entry.1.Value.StringValue': 'red',
      'Inner.deep': 'down',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml');
    const requestId = res.headers.get('x-amzn-requestid');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.text).toContain('<EchoResponse xmlns="http://example.com/doc/2020-01-01/">');
    expect(res.text).toContain(`<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></EchoResponse>`);
    expect(resultOf(res.text)).toBe(
      '<Name>a&amp;b&lt;c&gt;</Name><Count>42</Count><Ratio>1.5</Ratio><Enabled>true</Enabled>' +
        '<At>2026-01-02T03:04:05.000Z</At><Data>aGk=</Data>' +
        '<Tags><member><Key>k1</Key><Value>v1</Value></member><member><Key>k2</Key></member></Tags>' +
        '<Id>first</Id><Id>second</Id>' +
        '<Names><Item>n1</Item></Names>' +
        '<Attribute><Name>Policy</Name><Value>{&quot;a&quot;:1}</Value></Attribute>' +
        '<Values><entry><Name>color</Name><Value><DataType>String</DataType><StringValue>red</StringValue></Value></entry></Values>' +
        '<Inner><deep>down</deep></Inner>',
    );
  });

  it('takes a GET with the parameters in the query string, and an empty list as `Name=`', async () => {
    const res = await fetch(`${endpoint}/?Action=Echo&Version=2020-01-01&Name=x&Enabled=FALSE&Tags=`, { headers: { Authorization: signed() } });
    expect(res.status).toBe(200);
    expect(resultOf(await res.text())).toBe('<Name>x</Name><Enabled>false</Enabled><Tags></Tags>');
  });

  it('answers constraint violations as one ValidationError in the aggregate AWS writes', async () => {
    const res = await post({ Action: 'Echo', Name: 'much-too-long', 'Values.entry.1.Name': 'x', 'Values.entry.1.Value.StringValue': 'y' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(
      /^<\?xml version="1.0"\?>\n<ErrorResponse xmlns="http:\/\/example.com\/doc\/2020-01-01\/"><Error><Type>Sender<\/Type><Code>ValidationError<\/Code><Message>2 validation errors detected: Value &apos;much-too-long&apos; at &apos;name&apos; failed to satisfy constraint: Member must have length less than or equal to 8; Value null at &apos;values.x.member.dataType&apos; failed to satisfy constraint: Member must not be null<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>\n$/,
    );
    const missing = await post({ Action: 'Echo' });
    expect(missing.text).toContain("<Message>1 validation error detected: Value null at &apos;name&apos; failed to satisfy constraint: Member must not be null</Message>");
  });

  it('refuses a value that does not convert to its member type', async () => {
    for (const [member, value, what] of [['Count', 'ten', 'a number'], ['Ratio', 'x', 'a number'], ['Enabled', 'yes', 'a boolean'], ['At', 'someday', 'a timestamp']]) {
      const res = await post({ Action: 'Echo', Name: 'n', [member!]: value! });
      expect(res.status).toBe(400);
      expect(res.text).toContain(`<Code>ValidationError</Code><Message>1 validation error detected: Value &apos;${value}&apos; at &apos;${member!.toLowerCase()}&apos; failed to satisfy constraint: Member must be ${what}</Message>`);
    }
  });

  it('writes errors with the wire code and status of the model error shape, by either name', async () => {
    for (const how of ['shape', 'wire']) {
      const res = await post({ Action: 'Fail', How: how });
      expect(res.status).toBe(404);
      expect(res.text).toContain('<Error><Type>Sender</Type><Code>NotFound</Code>');
    }
    expect((await post({ Action: 'Fail', How: 'wire' })).text).toContain('<Message>Thing &lt;really&gt; does not exist</Message>');
    const unknown = await post({ Action: 'Fail', How: 'unknown' });
    expect(unknown.status).toBe(409);
    expect(unknown.text).toContain('<Code>AWS.Example.Odd</Code><Message>odd</Message>');
  });

  it('answers an internal failure with a 500 Receiver error and reports it', async () => {
    const before = internalErrors.length;
    const res = await post({ Action: 'Fail', How: 'crash' });
    expect(res.status).toBe(500);
    expect(res.text).toContain('<Type>Receiver</Type><Code>InternalFailure</Code>');
    expect(internalErrors.length).toBe(before + 1);
  });

  it('writes only ResponseMetadata for an operation without output', async () => {
    const res = await post({ Action: 'Nothing' });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^<\?xml version="1.0"\?>\n<NothingResponse xmlns="http:\/\/example.com\/doc\/2020-01-01\/"><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/NothingResponse>\n$/);
  });

  it('refuses unknown, missing and unimplemented actions, naming them', async () => {
    const unknown = await post({ Action: 'Frobnicate', Version: '2020-01-01' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('<Code>InvalidAction</Code><Message>Could not find operation Frobnicate for version 2020-01-01</Message>');
    const missing = await post({ Version: '2020-01-01' });
    expect(missing.text).toContain('<Code>MissingAction</Code>');
    const notBuilt = await post({ Action: 'NotBuilt' });
    expect(notBuilt.text).toContain('<Code>InvalidAction</Code><Message>Eddy does not implement the NotBuilt operation yet.</Message>');
  });

  it('refuses unsigned requests except the operations the service serves unsigned', async () => {
    const unsigned = await post({ Action: 'Echo', Version: '2020-01-01', Name: 'n' }, {});
    expect(unsigned.status).toBe(403);
    expect(unsigned.text).toContain('<Code>MissingAuthenticationToken</Code><Message>Request is missing Authentication Token</Message>');
    const open = await fetch(`${endpoint}/some/where?Action=Where&Version=2020-01-01`);
    expect(open.status).toBe(200);
    expect(await open.text()).toContain('<WhereResult><Path>/some/where</Path><Region>us-east-1</Region><Account>000000000000</Account></WhereResult>');
  });

  it('picks the service by the signature scope, then Version, then Action; others fall through', async () => {
    const byScope = await post({ Action: 'Where' }, { Authorization: signed('example', 'ap-south-1') }, '/q%20ueue');
    expect(byScope.text).toContain('<Path>/q ueue</Path><Region>ap-south-1</Region>');
    const byAction = await post({ Action: 'Where' }, { Authorization: signed('other') });
    expect(byAction.status).toBe(200);
    const nobody = await post({ Action: 'SomethingElse', Version: '1999-01-01' }, { Authorization: signed('other') });
    expect(nobody.status).toBe(404);
  });
});
