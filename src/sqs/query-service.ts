import type { ApiModel } from '../edge/api-model.js';
import type { OperationHandler } from '../edge/json-protocol.js';
import type { QueryRequestContext, QueryService } from '../edge/query-protocol.js';
import { configureValidation } from '../edge/request-validation.js';
import type { SqsDeps } from './context.js';
import { missingParameter, sqsError, sqsQueryCode } from './errors.js';
import { SQS_MODEL } from './model.js';
import { SQS_OPERATIONS } from './service.js';

/**
 * SQS's Query-protocol names (2012-11-05), which botocore's JSON-first model no
 * longer carries: lists and maps are flattened under singular names
 * (`Attribute.1.Name`, `MessageAttribute.1.Value.StringValue`,
 * `SendMessageBatchRequestEntry.1.Id`, `<Message>`, `<QueueUrl>`).
 */
const LIST_MEMBER_NAMES: Record<string, string> = {
  AttributeNameList: 'AttributeName',
  MessageAttributeNameList: 'MessageAttributeName',
  MessageSystemAttributeList: 'MessageSystemAttributeName',
  QueueUrlList: 'QueueUrl',
  SendMessageBatchRequestEntryList: 'SendMessageBatchRequestEntry',
  SendMessageBatchResultEntryList: 'SendMessageBatchResultEntry',
  BatchResultErrorEntryList: 'BatchResultErrorEntry',
  DeleteMessageBatchRequestEntryList: 'DeleteMessageBatchRequestEntry',
  DeleteMessageBatchResultEntryList: 'DeleteMessageBatchResultEntry',
  ChangeMessageVisibilityBatchRequestEntryList: 'ChangeMessageVisibilityBatchRequestEntry',
  ChangeMessageVisibilityBatchResultEntryList: 'ChangeMessageVisibilityBatchResultEntry',
  MessageList: 'Message',
  TagKeyList: 'TagKey',
  StringList: 'StringListValue',
  BinaryList: 'BinaryListValue',
  ListMessageMoveTasksResultEntryList: 'ListMessageMoveTasksResultEntry',
  AWSAccountIdList: 'AWSAccountId',
  ActionNameList: 'ActionName',
};

const MAP_NAMES: Record<string, [key: string, value: string]> = {
  QueueAttributeMap: ['Name', 'Value'],
  MessageBodyAttributeMap: ['Name', 'Value'],
  MessageBodySystemAttributeMap: ['Name', 'Value'],
  MessageSystemAttributeMap: ['Name', 'Value'],
  TagMap: ['Key', 'Value'],
};

/** Members whose wire name differs from the member name: the singular of each flattened map. */
const MEMBER_NAMES: Record<string, Record<string, string>> = {
  CreateQueueRequest: { Attributes: 'Attribute', tags: 'Tag' },
  GetQueueAttributesResult: { Attributes: 'Attribute' },
  SetQueueAttributesRequest: { Attributes: 'Attribute' },
  SendMessageRequest: { MessageAttributes: 'MessageAttribute', MessageSystemAttributes: 'MessageSystemAttribute' },
  SendMessageBatchRequestEntry: { MessageAttributes: 'MessageAttribute', MessageSystemAttributes: 'MessageSystemAttribute' },
  Message: { Attributes: 'Attribute', MessageAttributes: 'MessageAttribute' },
  TagQueueRequest: { Tags: 'Tag' },
  ListQueueTagsResult: { Tags: 'Tag' },
};

// The model is JSON patched in place; its structure is checked by the ApiModel type where it is used.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

/** The SQS model with its Query names, result wrappers and error codes, QueueUrl optional (a request may name its queue by its path). */
export const SQS_QUERY_MODEL: ApiModel = (() => {
  const model = structuredClone(SQS_MODEL) as unknown as Loose;
  for (const [name, member] of Object.entries(LIST_MEMBER_NAMES)) {
    model.shapes[name].member.locationName = member;
    model.shapes[name].flattened = true;
  }
  for (const [name, [key, value]] of Object.entries(MAP_NAMES)) {
    model.shapes[name].key.locationName = key;
    model.shapes[name].value.locationName = value;
  }
  for (const [shape, members] of Object.entries(MEMBER_NAMES)) {
    for (const [member, wire] of Object.entries(members)) model.shapes[shape].members[member].locationName = wire;
  }
  for (const [name, operation] of Object.entries(model.operations as Record<string, Loose>)) {
    if (operation.output) operation.output.resultWrapper = `${name}Result`;
    const input = operation.input && model.shapes[operation.input.shape];
    if (input?.required) input.required = (input.required as string[]).filter((member) => member !== 'QueueUrl');
  }
  for (const [name, shape] of Object.entries(model.shapes as Record<string, Loose>)) {
    if (shape.exception) shape.error = { code: sqsQueryCode(name), httpStatusCode: sqsError(name, '').status, senderFault: true };
  }
  const queryModel = model as ApiModel;
  const report: Record<string, (violations: readonly { kind: string; member: string; text: string }[]) => ReturnType<typeof missingParameter>> = {};
  for (const operation of Object.values(queryModel.operations)) {
    if (!operation.input) continue;
    report[operation.input.shape] = (violations) =>
      violations[0]!.kind === 'required' ? missingParameter(violations[0]!.member) : sqsError('InvalidParameterValue', violations[0]!.text);
  }
  configureValidation(queryModel, { report });
  return queryModel;
})();

/** `/<account>/<name>`: the queue a request POSTed to its queue URL is for. */
const QUEUE_PATH = /^\/\d{12}\/[\w.-]+$/;

/** SQS over the Query protocol (older CLIs and SDKs): the same operations as JSON, with QueueUrl taken from the path when absent. */
export function createSqsQueryService(deps: SqsDeps): QueryService {
  const operations: Record<string, OperationHandler> = {};
  for (const [name, handler] of Object.entries(SQS_OPERATIONS as unknown as Record<string, OperationHandler>)) {
    const needsQueue = SQS_MODEL.shapes[SQS_MODEL.operations[name]!.input!.shape]!.required?.includes('QueueUrl') ?? false;
    operations[name] = needsQueue
      ? (input: Loose, ctx) => {
          if (input.QueueUrl === undefined) {
            const path = (ctx as QueryRequestContext).path;
            if (!QUEUE_PATH.test(path)) throw missingParameter('QueueUrl');
            input.QueueUrl = path;
          }
          return handler(input, ctx);
        }
      : handler;
  }
  return {
    model: SQS_QUERY_MODEL,
    xmlNamespace: 'http://queue.amazonaws.com/doc/2012-11-05/',
    signingName: 'sqs',
    operations,
    contextPrototype: deps,
    invalidValue: (text, path) => sqsError('InvalidParameterValue', `Value ${text} for parameter ${path.charAt(0).toUpperCase()}${path.slice(1)} is invalid.`),
  };
}
