import type { FunctionDeclaration, MappingDeclaration, ProjectFile, QueueDeclaration, TableDeclaration, TopicDeclaration } from './project-file.js';

export interface ApplyTarget {
  /** Eddy's own endpoint, e.g. `http://127.0.0.1:4566`. */
  endpoint: string;
  region: string;
  accountId: string;
}

/** A resource the project file declared and what applying it did. */
export interface AppliedResource {
  kind: 'table' | 'queue' | 'topic' | 'subscription' | 'function' | 'event source mapping';
  name: string;
  action: 'created' | 'updated' | 'unchanged';
}

/** A declaration the API refused; the message carries AWS's error code and text. */
export class ProjectApplyError extends Error {}

/**
 * Makes Eddy hold what the project file declares, through the same public APIs
 * (and SDK clients) a user would call, so every declaration is validated as
 * AWS validates it. Idempotent: applying the same file again changes nothing
 * it already made. Tables that exist are left as they are (apart from turning
 * on a declared stream or TTL); functions, queues, subscriptions and mappings
 * that exist are updated to the declaration.
 */
export async function applyProject(project: ProjectFile, target: ApplyTarget): Promise<AppliedResource[]> {
  const clients = new Clients(target);
  const names = new Names(project, target);
  const applied: AppliedResource[] = [];
  const step = async (kind: AppliedResource['kind'], name: string, run: () => Promise<AppliedResource['action']>): Promise<void> => {
    try {
      applied.push({ kind, name, action: await run() });
    } catch (error) {
      const code = (error as { name?: string }).name;
      throw new ProjectApplyError(`${project.path}: ${kind} ${name}: ${code && code !== 'Error' ? `${code}: ` : ''}${(error as Error).message}`);
    }
  };
  try {
    await applyAll(project, clients, names, target, step);
  } finally {
    clients.destroy();
  }
  return applied;
}

type Step = (kind: AppliedResource['kind'], name: string, run: () => Promise<AppliedResource['action']>) => Promise<void>;

async function applyAll(project: ProjectFile, clients: Clients, names: Names, target: ApplyTarget, step: Step): Promise<void> {
  for (const table of project.tables) await step('table', table.TableName, () => applyTable(clients, table));
  for (const queue of project.queues) await step('queue', queue.QueueName, () => applyQueue(clients, queue, names));
  for (const fn of project.functions) await step('function', fn.FunctionName, () => applyFunction(clients, fn, target));
  for (const topic of project.topics) {
    await step('topic', topic.Name, () => applyTopic(clients, topic, names));
    for (const subscription of topic.Subscriptions) {
      const endpoint = names.subscriptionEndpoint(subscription.Protocol, subscription.Endpoint);
      await step('subscription', `${topic.Name} -> ${subscription.Endpoint}`, () => applySubscription(clients, names.topicArn(topic.Name), { ...subscription, Endpoint: endpoint }));
    }
  }
  for (const mapping of project.eventSourceMappings) {
    const source = String(mapping.EventSourceArn ?? mapping.Table ?? mapping.Queue);
    await step('event source mapping', `${source} -> ${mapping.FunctionName}`, () => applyMapping(clients, mapping, names));
  }
}

/**
 * The SDK clients, each created on first use: `eddy start` without a project
 * file loads none of them, and a file that declares only tables loads only
 * DynamoDB's.
 */
class Clients {
  private readonly made: { destroy(): void }[] = [];
  private readonly config;

  constructor(target: ApplyTarget) {
    this.config = { endpoint: target.endpoint, region: target.region, credentials: { accessKeyId: 'eddy', secretAccessKey: 'eddy' }, maxAttempts: 1 };
  }

  private dynamodbClient?: Promise<import('@aws-sdk/client-dynamodb').DynamoDBClient>;
  private lambdaClient?: Promise<import('@aws-sdk/client-lambda').LambdaClient>;
  private sqsClient?: Promise<import('@aws-sdk/client-sqs').SQSClient>;
  private snsClient?: Promise<import('@aws-sdk/client-sns').SNSClient>;

  dynamodb() {
    return (this.dynamodbClient ??= import('@aws-sdk/client-dynamodb').then(({ DynamoDBClient }) => this.keep(new DynamoDBClient(this.config))));
  }

  lambda() {
    return (this.lambdaClient ??= import('@aws-sdk/client-lambda').then(({ LambdaClient }) => this.keep(new LambdaClient(this.config))));
  }

  sqs() {
    return (this.sqsClient ??= import('@aws-sdk/client-sqs').then(({ SQSClient }) => this.keep(new SQSClient(this.config))));
  }

  sns() {
    return (this.snsClient ??= import('@aws-sdk/client-sns').then(({ SNSClient }) => this.keep(new SNSClient(this.config))));
  }

  destroy(): void {
    for (const client of this.made) client.destroy();
  }

  private keep<T extends { destroy(): void }>(client: T): T {
    this.made.push(client);
    return client;
  }
}

/** Turns the names a project file may use into the ARNs the APIs take. */
class Names {
  private readonly queues: Set<string>;
  private readonly topics: Set<string>;

  constructor(
    project: ProjectFile,
    private readonly target: ApplyTarget,
  ) {
    this.queues = new Set(project.queues.map((q) => q.QueueName));
    this.topics = new Set(project.topics.map((t) => t.Name));
  }

  queueArn(name: string): string {
    return name.startsWith('arn:') ? name : `arn:aws:sqs:${this.target.region}:${this.target.accountId}:${name}`;
  }

  topicArn(name: string): string {
    return name.startsWith('arn:') ? name : `arn:aws:sns:${this.target.region}:${this.target.accountId}:${name}`;
  }

  functionArn(name: string): string {
    return name.startsWith('arn:') ? name : `arn:aws:lambda:${this.target.region}:${this.target.accountId}:function:${name}`;
  }

  /** An on-failure destination: an ARN, or the name of a queue or topic (queues first, as the guide's DLQs are queues). */
  destinationArn(name: string): string {
    if (name.startsWith('arn:')) return name;
    if (!this.queues.has(name) && this.topics.has(name)) return this.topicArn(name);
    return this.queueArn(name);
  }

  subscriptionEndpoint(protocol: string, endpoint: string): string {
    if (protocol === 'sqs') return this.queueArn(endpoint);
    if (protocol === 'lambda') return this.functionArn(endpoint);
    return endpoint;
  }
}

async function applyTable(clients: Clients, declaration: TableDeclaration): Promise<AppliedResource['action']> {
  const { CreateTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, ResourceNotFoundException, UpdateTableCommand, UpdateTimeToLiveCommand } = await import(
    '@aws-sdk/client-dynamodb'
  );
  const { TimeToLiveSpecification: ttl, ...createInput } = declaration as TableDeclaration & { TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean } };
  const wanted = createInput.StreamSpecification as { StreamEnabled?: boolean; StreamViewType?: string } | undefined;
  let action: AppliedResource['action'] = 'unchanged';
  let existing;
  try {
    existing = (await (await clients.dynamodb()).send(new DescribeTableCommand({ TableName: declaration.TableName }))).Table;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  if (!existing) {
    await (await clients.dynamodb()).send(new CreateTableCommand(createInput as never));
    action = 'created';
  } else if (wanted?.StreamEnabled && !existing.StreamSpecification?.StreamEnabled) {
    await waitUntilActive(clients, declaration.TableName);
    await (await clients.dynamodb()).send(new UpdateTableCommand({ TableName: declaration.TableName, StreamSpecification: wanted as never }));
    action = 'updated';
  }
  await waitUntilActive(clients, declaration.TableName);
  if (ttl) {
    const current = (await (await clients.dynamodb()).send(new DescribeTimeToLiveCommand({ TableName: declaration.TableName }))).TimeToLiveDescription;
    const enabled = current?.TimeToLiveStatus === 'ENABLED' || current?.TimeToLiveStatus === 'ENABLING';
    if (enabled !== ttl.Enabled || (ttl.Enabled && current?.AttributeName !== ttl.AttributeName)) {
      await (await clients.dynamodb()).send(new UpdateTimeToLiveCommand({ TableName: declaration.TableName, TimeToLiveSpecification: ttl }));
      if (action === 'unchanged') action = 'updated';
    }
  }
  return action;
}

/** Waits out `--table-transition-ms` (0 by default, so usually no wait at all). */
async function waitUntilActive(clients: Clients, tableName: string): Promise<void> {
  const { DescribeTableCommand } = await import('@aws-sdk/client-dynamodb');
  for (;;) {
    const status = (await (await clients.dynamodb()).send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus;
    if (status === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** SQS and SNS attribute maps are strings on the wire; a project file may write numbers, booleans and objects. */
function stringAttributes(attributes: unknown, transform: (name: string, value: unknown) => unknown = (_name, value) => value): Record<string, string> | undefined {
  if (attributes === undefined || attributes === null) return undefined;
  if (typeof attributes !== 'object' || Array.isArray(attributes)) throw new Error('Attributes must be a mapping');
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(attributes)) {
    const value = transform(name, raw);
    out[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

async function applyQueue(clients: Clients, declaration: QueueDeclaration, names: Names): Promise<AppliedResource['action']> {
  const { CreateQueueCommand, GetQueueUrlCommand, QueueDoesNotExist, SetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
  const attributes = stringAttributes(declaration.Attributes, (name, value) => {
    if (name !== 'RedrivePolicy' || typeof value !== 'object' || value === null) return value;
    const policy = value as { deadLetterTargetArn?: unknown };
    return typeof policy.deadLetterTargetArn === 'string' ? { ...policy, deadLetterTargetArn: names.queueArn(policy.deadLetterTargetArn) } : policy;
  });
  let url: string | undefined;
  try {
    url = (await (await clients.sqs()).send(new GetQueueUrlCommand({ QueueName: declaration.QueueName }))).QueueUrl;
  } catch (error) {
    if (!(error instanceof QueueDoesNotExist)) throw error;
  }
  if (!url) {
    await (await clients.sqs()).send(new CreateQueueCommand({ ...(declaration as object), QueueName: declaration.QueueName, Attributes: attributes } as never));
    return 'created';
  }
  // FifoQueue cannot be changed (nor set again) on an existing queue.
  const { FifoQueue: _fifo, ...settable } = attributes ?? {};
  if (Object.keys(settable).length === 0) return 'unchanged';
  await (await clients.sqs()).send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: settable }));
  return 'updated';
}

async function applyTopic(clients: Clients, declaration: TopicDeclaration, names: Names): Promise<AppliedResource['action']> {
  const { CreateTopicCommand, GetTopicAttributesCommand, NotFoundException } = await import('@aws-sdk/client-sns');
  const { Subscriptions: _subscriptions, ...input } = declaration;
  const attributes = stringAttributes(input.Attributes);
  let exists = true;
  try {
    await (await clients.sns()).send(new GetTopicAttributesCommand({ TopicArn: names.topicArn(declaration.Name) }));
  } catch (error) {
    if (!(error instanceof NotFoundException)) throw error;
    exists = false;
  }
  // CreateTopic is idempotent for the same name and attributes, as on AWS.
  await (await clients.sns()).send(new CreateTopicCommand({ ...(input as object), Name: declaration.Name, Attributes: attributes } as never));
  return exists ? 'unchanged' : 'created';
}

async function applySubscription(
  clients: Clients,
  topicArn: string,
  declaration: { Protocol: string; Endpoint: string } & Record<string, unknown>,
): Promise<AppliedResource['action']> {
  const { ListSubscriptionsByTopicCommand, SetSubscriptionAttributesCommand, SubscribeCommand } = await import('@aws-sdk/client-sns');
  const attributes = stringAttributes(declaration.Attributes);
  let existing: string | undefined;
  let token: string | undefined;
  do {
    const page = await (await clients.sns()).send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: token }));
    existing = page.Subscriptions?.find((s) => s.Protocol === declaration.Protocol && s.Endpoint === declaration.Endpoint)?.SubscriptionArn;
    token = page.NextToken;
  } while (!existing && token);
  if (!existing || existing === 'PendingConfirmation') {
    await (await clients.sns()).send(new SubscribeCommand({ TopicArn: topicArn, Protocol: declaration.Protocol, Endpoint: declaration.Endpoint, Attributes: attributes, ReturnSubscriptionArn: true }));
    return 'created';
  }
  for (const [name, value] of Object.entries(attributes ?? {})) {
    await (await clients.sns()).send(new SetSubscriptionAttributesCommand({ SubscriptionArn: existing, AttributeName: name, AttributeValue: value }));
  }
  return attributes && Object.keys(attributes).length > 0 ? 'updated' : 'unchanged';
}

/** Fields of CreateFunction that UpdateFunctionConfiguration also takes. */
const CONFIGURATION_FIELDS = ['Role', 'Handler', 'Description', 'Timeout', 'MemorySize', 'Environment', 'Runtime', 'DeadLetterConfig', 'TracingConfig', 'Layers', 'EphemeralStorage', 'LoggingConfig'];

async function applyFunction(clients: Clients, declaration: FunctionDeclaration, target: ApplyTarget): Promise<AppliedResource['action']> {
  const { CreateFunctionCommand, GetFunctionCommand, PutFunctionConcurrencyCommand, ResourceNotFoundException, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand } = await import(
    '@aws-sdk/client-lambda'
  );
  const { ReservedConcurrentExecutions: reserved, Code: rawCode, ...rest } = declaration as FunctionDeclaration & { ReservedConcurrentExecutions?: number; Code?: unknown };
  // A directory is run in place (Eddy's local-code bucket): edits show on the next invoke.
  const code = typeof rawCode === 'string' ? { S3Bucket: 'eddy-local', S3Key: rawCode } : (rawCode as Record<string, unknown> | undefined);
  let exists = true;
  try {
    await (await clients.lambda()).send(new GetFunctionCommand({ FunctionName: declaration.FunctionName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    exists = false;
  }
  if (!exists) {
    const role = rest.Role ?? `arn:aws:iam::${target.accountId}:role/eddy-function`;
    await (await clients.lambda()).send(new CreateFunctionCommand({ ...(rest as object), Role: role, Code: code } as never));
  } else {
    const configuration = Object.fromEntries(Object.entries(rest).filter(([key]) => CONFIGURATION_FIELDS.includes(key)));
    if (Object.keys(configuration).length > 0) {
      await (await clients.lambda()).send(new UpdateFunctionConfigurationCommand({ FunctionName: declaration.FunctionName, ...configuration } as never));
    }
    if (code) await (await clients.lambda()).send(new UpdateFunctionCodeCommand({ FunctionName: declaration.FunctionName, ...code } as never));
  }
  if (typeof reserved === 'number') {
    await (await clients.lambda()).send(new PutFunctionConcurrencyCommand({ FunctionName: declaration.FunctionName, ReservedConcurrentExecutions: reserved }));
  }
  return exists ? 'updated' : 'created';
}

/** Fields CreateEventSourceMapping takes that UpdateEventSourceMapping does not. */
const CREATE_ONLY_FIELDS = new Set(['EventSourceArn', 'StartingPosition', 'StartingPositionTimestamp', 'Tags', 'Table', 'Queue']);

async function applyMapping(clients: Clients, declaration: MappingDeclaration, names: Names): Promise<AppliedResource['action']> {
  const { CreateEventSourceMappingCommand, ListEventSourceMappingsCommand, UpdateEventSourceMappingCommand } = await import('@aws-sdk/client-lambda');
  const sourceArn = await mappingSourceArn(clients, declaration, names);
  const input: Record<string, unknown> = { ...declaration };
  delete input.Table;
  delete input.Queue;
  const destination = (declaration.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)?.OnFailure?.Destination;
  if (typeof destination === 'string') input.DestinationConfig = { OnFailure: { Destination: names.destinationArn(destination) } };
  if (input.FilterCriteria && typeof input.FilterCriteria === 'object') {
    // A pattern may be written as YAML/JSON structure instead of a JSON string.
    const filters = (input.FilterCriteria as { Filters?: { Pattern?: unknown }[] }).Filters ?? [];
    input.FilterCriteria = { Filters: filters.map((f) => ({ Pattern: typeof f.Pattern === 'string' ? f.Pattern : JSON.stringify(f.Pattern) })) };
  }
  const existing = (await (await clients.lambda()).send(new ListEventSourceMappingsCommand({ EventSourceArn: sourceArn, FunctionName: declaration.FunctionName }))).EventSourceMappings?.[0];
  if (!existing) {
    await (await clients.lambda()).send(new CreateEventSourceMappingCommand({ ...input, EventSourceArn: sourceArn } as never));
    return 'created';
  }
  const update = Object.fromEntries(Object.entries(input).filter(([key]) => !CREATE_ONLY_FIELDS.has(key)));
  await (await clients.lambda()).send(new UpdateEventSourceMappingCommand({ ...update, UUID: existing.UUID } as never));
  return 'updated';
}

async function mappingSourceArn(clients: Clients, declaration: MappingDeclaration, names: Names): Promise<string> {
  if (typeof declaration.EventSourceArn === 'string') return declaration.EventSourceArn;
  if (typeof declaration.Queue === 'string') return names.queueArn(declaration.Queue);
  const { DescribeTableCommand } = await import('@aws-sdk/client-dynamodb');
  const table = (await (await clients.dynamodb()).send(new DescribeTableCommand({ TableName: String(declaration.Table) }))).Table;
  if (!table?.LatestStreamArn || !table.StreamSpecification?.StreamEnabled) {
    throw new Error(`table ${String(declaration.Table)} has no stream: declare StreamSpecification {StreamEnabled: true, StreamViewType: ...} on it`);
  }
  return table.LatestStreamArn;
}
