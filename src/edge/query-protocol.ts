import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiModel, Shape, ShapeRef } from './api-model.js';
import { AwsError } from './errors.js';
import type { JsonProtocolOptions, OperationHandler } from './json-protocol.js';
import { regionFromAuthorization, type RequestContext } from './request-context.js';
import { validateRequest } from './request-validation.js';
import { setOwn } from '../own-property.js';

/**
 * The AWS Query protocol (SNS; SQS for older clients), generic and driven by
 * the service's model.
 *
 * Requests: `POST <path>` with `Content-Type: application/x-www-form-urlencoded`
 * and a body `Action=<Op>&Version=<v>&...`, or a GET with the same query
 * string. Members are flattened into keys the way botocore's and the SDKs'
 * serialisers write them:
 *  - structure members by their `locationName` (or name): `Tags.member.1.Key`;
 *  - lists as `Name.member.N` (or `Name.<member locationName>.N`), or, when
 *    `flattened`, `Name.N` (or `<member locationName>.N`); `Name=` is an empty list;
 *  - maps as `Name.entry.N.key` / `.value` (or the key's and value's
 *    locationNames, e.g. SNS's `Name` / `Value`), or, when `flattened`,
 *    `Name.N.key` / `Name.N.value`;
 *  - booleans `true`/`false`, timestamps ISO 8601 (or epoch seconds), blobs base64.
 *
 * The codec rebuilds the typed input, checks it with the model-driven
 * validation of the JSON services (request-validation.ts; its aggregate
 * "N validation errors detected: ..." is answered as `ValidationError`, as SNS
 * and SQS do), calls the operation `(input, ctx)` and writes its output as XML:
 *
 *     <OpResponse xmlns="<xmlNamespace>"><OpResult>...</OpResult>
 *       <ResponseMetadata><RequestId>...</RequestId></ResponseMetadata></OpResponse>
 *
 * following the model (resultWrapper, locationName, flattened lists and maps,
 * maps as entry/key/value). Operations return plain objects: timestamps as a
 * Date, epoch seconds or ISO text; blobs as a Buffer/Uint8Array or base64 text.
 *
 * Errors an operation throws (AwsError) are written as
 *
 *     <ErrorResponse xmlns="..."><Error><Type>Sender</Type><Code>..</Code>
 *       <Message>..</Message></Error><RequestId>..</RequestId></ErrorResponse>
 *
 * An AwsError's code may be the model's error shape name (`NotFoundException`)
 * or its wire code (`NotFound`): the wire code from the shape's `error.code`
 * trait is written, with the shape's HTTP status. Codes the model does not
 * know (SQS's `AWS.SimpleQueueService.NonExistentQueue` when its model lacks
 * the trait) are written as thrown, with the AwsError's status.
 *
 * Routing ({@link QueryRouter}): a request is the Query protocol's when it is a
 * form-encoded POST without X-Amz-Target, or a GET with `Action=` in its query
 * string. The service is the one whose `signingName` is the SigV4 credential
 * scope's service (`Credential=AKID/20260101/us-east-1/sns/aws4_request`), else
 * the one whose model's apiVersion is the `Version` parameter, else the only one
 * whose model has the `Action`.
 *
 * To add a service: build a {@link QueryService} and pass it to the edge in
 * `queryServices` (src/eddy.ts). A model whose Query traits are missing (SQS's
 * current botocore model is JSON-first and lost its `locationName`s) should be
 * patched before it is handed over.
 */
export interface QueryService {
  /** The AWS model; its operations' `output.resultWrapper` names the result element. May be a getter that loads it at first use. */
  readonly model: ApiModel;
  /** The model's `metadata.apiVersion`, for routing by `Version` without loading a lazily loaded model. */
  apiVersion?: string;
  /** The `xmlns` of every response, e.g. `http://sns.amazonaws.com/doc/2010-03-31/`. */
  xmlNamespace: string;
  /** The SigV4 credential scope's service name that selects this service: `sns`, `sqs`. */
  signingName: string;
  /** The operations implemented; any other operation of the model is refused naming it. */
  operations: Record<string, OperationHandler>;
  /** What every request's context inherits (stores, clock), as for JSON services. */
  contextPrototype?: object;
  /** Shapes the generic request validation leaves to the service. */
  opaqueShapes?: ReadonlySet<string>;
  /**
   * Operations AWS serves without a signature: SNS's ConfirmSubscription and
   * Unsubscribe, reached through the SubscribeURL / UnsubscribeURL of a message.
   */
  unsignedOperations?: ReadonlySet<string>;
  /**
   * The error for a value that does not convert to its member's type
   * (`MaxNumberOfMessages=ten`). `path` is the member path as validation
   * prints it ('maxNumberOfMessages'). Default: a ValidationError naming it.
   */
  invalidValue?(text: string, path: string, shape: Shape): AwsError;
}

/** The context a Query operation receives: the request path too (SQS addresses queues by their URL). */
export interface QueryRequestContext extends RequestContext {
  /** The request's path, decoded, e.g. `/` or `/000000000000/my-queue`. */
  path: string;
  /** Whether the request was signed (SigV4 header or presigned query): unsigned ones reach only `unsignedOperations`. */
  signed: boolean;
}

/** How a member is addressed on the wire, as the model's references say. */
interface WireRef extends ShapeRef {
  locationName?: string;
  flattened?: boolean;
  timestampFormat?: string;
}

interface WireShape extends Shape {
  flattened?: boolean;
  timestampFormat?: string;
  member?: WireRef;
  key?: WireRef;
  value?: WireRef;
  members?: Record<string, WireRef>;
  error?: { httpStatusCode?: number; code?: string; senderFault?: boolean };
}

interface WireOperation {
  name: string;
  input?: ShapeRef;
  output?: ShapeRef & { resultWrapper?: string };
}

/** One level of the form's dotted keys: `Tags.member.1.Key=v` is Tags → member → 1 → Key = v. */
interface FormNode {
  value?: string;
  children?: Map<string, FormNode>;
}

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** Per-service tables built once: the error shapes by both names, whose actions exist. */
interface Registered {
  service: QueryService;
  readonly errorsByCode: Map<string, { wireCode: string; shape: WireShape }>;
}

/**
 * Picks the Query service a request is for and serves it; see the file's
 * comment for the rules.
 */
export class QueryRouter {
  private readonly registered: Registered[];

  constructor(
    services: readonly QueryService[],
    private readonly options: JsonProtocolOptions,
  ) {
    this.registered = services.map((service) => {
      let errors: Registered['errorsByCode'] | undefined;
      // Built at the service's first error: reading a lazily loaded model at start would load it.
      return { service, get errorsByCode() { return (errors ??= errorTable(service.model)); } };
    });
  }

  /** Whether the request looks like the Query protocol: a form POST, or a GET with an Action. */
  accepts(req: IncomingMessage): boolean {
    if (this.registered.length === 0) return false;
    if (req.method === 'POST') {
      const type = req.headers['content-type'];
      return typeof type === 'string' && type.toLowerCase().startsWith(FORM_CONTENT_TYPE) && req.headers['x-amz-target'] === undefined;
    }
    return req.method === 'GET' && /[?&]Action=/.test(req.url ?? '');
  }

  /**
   * Serves the request if a Query service takes it; returns false (and writes
   * nothing) when none does. Never throws; an operation that answers later
   * writes its answer when it settles.
   */
  serve(req: IncomingMessage, body: Buffer, res: ServerResponse): boolean {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    if (req.method === 'POST') for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params.set(key, value);
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined;
    const entry = this.pick(params, authorization);
    if (!entry) return false;

    const requestId = randomUUID();
    const action = params.get('Action') ?? '';
    const answer = (output: unknown): void => writeOutput(entry.service, action, output, requestId, res);
    const fail = (error: unknown): void => {
      if (error instanceof AwsError) return writeError(entry, error, requestId, res);
      this.options.onInternalError(error, action);
      writeError(entry, new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500), requestId, res);
    };
    try {
      const output = this.invoke(entry.service, action, params, authorization, req, url, q, requestId);
      if (output && typeof (output as Promise<unknown>).then === 'function') (output as Promise<unknown>).then(answer, fail);
      else answer(output);
    } catch (error) {
      fail(error);
    }
    return true;
  }

  private pick(params: URLSearchParams, authorization: string | undefined): Registered | undefined {
    const scope = authorization ? /Credential=[^/,\s]+\/\d{8}\/[^/,\s]+\/([^/,\s]+)\//.exec(authorization)?.[1] : undefined;
    if (scope !== undefined) {
      const bySigningName = this.registered.find((r) => r.service.signingName === scope);
      if (bySigningName) return bySigningName;
    }
    const version = params.get('Version');
    const byVersion = version === null ? undefined : this.registered.find((r) => (r.service.apiVersion ?? r.service.model.metadata.apiVersion) === version);
    if (byVersion) return byVersion;
    const action = params.get('Action');
    const byAction = action === null ? [] : this.registered.filter((r) => action in r.service.model.operations);
    return byAction.length === 1 ? byAction[0] : undefined;
  }

  private invoke(
    service: QueryService,
    action: string,
    params: URLSearchParams,
    authorization: string | undefined,
    req: IncomingMessage,
    url: string,
    q: number,
    requestId: string,
  ): unknown {
    if (action === '') throw new AwsError('MissingAction', 'Missing Action', 400);
    const operation = service.model.operations[action] as WireOperation | undefined;
    if (!operation) throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${params.get('Version') ?? service.model.metadata.apiVersion}`, 400);
    const signed = (authorization !== undefined && authorization.trim().startsWith('AWS4-')) || params.has('X-Amz-Signature');
    if (!signed && !service.unsignedOperations?.has(action)) {
      throw new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    }
    const handler = service.operations[action];
    if (!handler) throw new AwsError('InvalidAction', `Eddy does not implement the ${action} operation yet.`, 400);

    const input = operation.input ? readInput(service, operation.input.shape, params) : {};
    const rawPath = q < 0 ? url : url.slice(0, q);
    let path = rawPath;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      // A path that does not decode is passed as it came; the service decides.
    }
    const ctx: QueryRequestContext = Object.assign(Object.create(service.contextPrototype ?? null) as object, {
      requestId,
      region: regionFromAuthorization(authorization) ?? this.options.defaultRegion,
      accountId: this.options.accountId,
      host: req.headers.host ?? '',
      path,
      signed,
    });
    return handler(input, ctx);
  }
}

/** Every exception shape of the model, under its shape name and its wire code. */
function errorTable(model: ApiModel): Map<string, { wireCode: string; shape: WireShape }> {
  const table = new Map<string, { wireCode: string; shape: WireShape }>();
  for (const [name, shape] of Object.entries(model.shapes) as [string, WireShape][]) {
    if (!shape.exception) continue;
    const wireCode = shape.error?.code ?? name;
    table.set(name, { wireCode, shape });
    table.set(wireCode, { wireCode, shape });
  }
  return table;
}

// ---------------------------------------------------------------- requests

/** Splits the form's keys at their dots into a tree the model is then walked over. */
export function formTree(params: URLSearchParams): FormNode {
  const root: FormNode = {};
  for (const [key, value] of params) {
    let node = root;
    for (const part of key.split('.')) {
      node.children ??= new Map();
      let child = node.children.get(part);
      if (!child) node.children.set(part, (child = {}));
      node = child;
    }
    node.value = value;
  }
  return root;
}

/** Rebuilds and validates an operation's input from its form parameters. */
function readInput(service: QueryService, shapeName: string, params: URLSearchParams): Record<string, unknown> {
  const tree = formTree(params);
  const invalid = service.invalidValue ?? defaultInvalidValue;
  const input = (readStructure(service.model, shapeName, tree, '', invalid) ?? {}) as Record<string, unknown>;
  try {
    return validateRequest(service.model, shapeName, input, service.opaqueShapes ?? new Set());
  } catch (error) {
    // The JSON services' codes, as Query services name them.
    if (error instanceof AwsError && error.code === 'ValidationException') throw new AwsError('ValidationError', error.message, 400);
    if (error instanceof AwsError && error.code === 'SerializationException') throw new AwsError('ValidationError', error.message, 400);
    throw error;
  }
}

type InvalidValue = NonNullable<QueryService['invalidValue']>;

const defaultInvalidValue: InvalidValue = (text, path, shape) => {
  const what = shape.type === 'boolean' ? 'a boolean' : shape.type === 'timestamp' ? 'a timestamp' : 'a number';
  return new AwsError('ValidationError', `1 validation error detected: Value '${text}' at '${path}' failed to satisfy constraint: Member must be ${what}`, 400);
};

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);
const joinPath = (path: string, name: string): string => (path ? `${path}.${lowerFirst(name)}` : lowerFirst(name));

function readStructure(model: ApiModel, shapeName: string, node: FormNode | undefined, path: string, invalid: InvalidValue): Record<string, unknown> | undefined {
  if (!node?.children) return undefined;
  const shape = model.shapes[shapeName] as WireShape;
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const value = readMember(model, ref, node, ref.locationName ?? name, joinPath(path, name), invalid);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Reads the member serialised under `wireName` in `parent` (a flattened list with a member locationName sits under that name instead). */
function readMember(model: ApiModel, ref: WireRef, parent: FormNode, wireName: string, path: string, invalid: InvalidValue): unknown {
  const shape = model.shapes[ref.shape] as WireShape;
  if (shape.type === 'list') {
    const flattened = ref.flattened === true || shape.flattened === true;
    if (flattened) {
      const name = shape.member?.locationName ?? wireName;
      const node = parent.children?.get(name);
      if (!node) return undefined;
      return readList(model, shape, node, path, invalid);
    }
    const node = parent.children?.get(wireName);
    if (!node) return undefined;
    if (node.value === '' && !node.children) return [];
    const items = node.children?.get(shape.member?.locationName ?? 'member');
    return items ? readList(model, shape, items, path, invalid) : undefined;
  }
  const node = parent.children?.get(wireName);
  if (!node) return undefined;
  if (shape.type === 'map') {
    const flattened = ref.flattened === true || shape.flattened === true;
    if (node.value === '' && !node.children) return {};
    const entries = flattened ? node : node.children?.get('entry');
    return entries ? readMap(model, shape, entries, path, invalid) : undefined;
  }
  if (shape.type === 'structure') return readStructure(model, ref.shape, node, path, invalid);
  if (node.value === undefined) return undefined;
  return readScalar(shape, node.value, path, invalid);
}

/** The numbered children of a list or map node, in numeric order (the indices need not be contiguous). */
function numbered(node: FormNode): FormNode[] {
  if (!node.children) return [];
  return [...node.children.entries()]
    .filter(([index]) => /^\d+$/.test(index))
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([, child]) => child);
}

function readList(model: ApiModel, shape: WireShape, node: FormNode, path: string, invalid: InvalidValue): unknown[] {
  const memberRef = shape.member!;
  const memberShape = model.shapes[memberRef.shape] as WireShape;
  const out: unknown[] = [];
  numbered(node).forEach((child, i) => {
    const at = `${path}.${i + 1}.member`;
    if (memberShape.type === 'structure') out.push(readStructure(model, memberRef.shape, child, at, invalid) ?? {});
    else if (child.value !== undefined) out.push(readScalar(memberShape, child.value, at, invalid));
  });
  return out;
}

function readMap(model: ApiModel, shape: WireShape, node: FormNode, path: string, invalid: InvalidValue): Record<string, unknown> {
  const keyName = shape.key?.locationName ?? 'key';
  const valueName = shape.value?.locationName ?? 'value';
  const out: Record<string, unknown> = {};
  for (const entry of numbered(node)) {
    const key = entry.children?.get(keyName)?.value;
    if (key === undefined) continue;
    const value = readMember(model, shape.value!, entry, valueName, `${path}.${key}.member`, invalid);
    // A key without a value is kept with an empty one, for the service to refuse as AWS would.
    setOwn(out, key, value ?? (model.shapes[shape.value!.shape]!.type === 'structure' ? {} : ''));
  }
  return out;
}

function readScalar(shape: WireShape, text: string, path: string, invalid: InvalidValue): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long':
      if (!/^-?\d+$/.test(text.trim())) throw invalid(text, path, shape);
      return Number(text);
    case 'double':
    case 'float':
      if (text.trim() === '' || !Number.isFinite(Number(text))) throw invalid(text, path, shape);
      return Number(text);
    case 'boolean':
      if (text.toLowerCase() === 'true') return true;
      if (text.toLowerCase() === 'false') return false;
      throw invalid(text, path, shape);
    case 'timestamp': {
      const seconds = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text) / 1000;
      if (Number.isNaN(seconds)) throw invalid(text, path, shape);
      return seconds;
    }
    default:
      return text;
  }
}

// ---------------------------------------------------------------- responses

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#xD;' };

/** Escapes text for an XML element; carriage returns too, so they survive XML's line-end normalisation. */
export function escapeXml(text: string): string {
  return /[&<>"'\r]/.test(text) ? text.replace(/[&<>"'\r]/g, (c) => XML_ESCAPES[c]!) : text;
}

function writeOutput(service: QueryService, action: string, output: unknown, requestId: string, res: ServerResponse): void {
  const operation = service.model.operations[action] as WireOperation;
  let inner = '';
  if (operation.output) {
    const members = serializeStructure(service.model, operation.output.shape, (output ?? {}) as Record<string, unknown>);
    inner = operation.output.resultWrapper ? `<${operation.output.resultWrapper}>${members}</${operation.output.resultWrapper}>` : members;
  }
  const xml =
    `<?xml version="1.0"?>\n<${action}Response xmlns="${service.xmlNamespace}">${inner}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>\n`;
  send(res, 200, requestId, xml);
}

function send(res: ServerResponse, status: number, requestId: string, xml: string): void {
  const bytes = Buffer.from(xml, 'utf8');
  res.writeHead(status, { 'x-amzn-RequestId': requestId, 'Content-Type': 'text/xml', 'Content-Length': bytes.length });
  res.end(bytes);
}

/** The elements of a structure's members, in the model's order; absent members are left out. */
export function serializeStructure(model: ApiModel, shapeName: string, value: Record<string, unknown>): string {
  const shape = model.shapes[shapeName] as WireShape;
  let xml = '';
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const member = value[name];
    if (member === undefined || member === null) continue;
    xml += serializeMember(model, ref, ref.locationName ?? name, member);
  }
  return xml;
}

function serializeMember(model: ApiModel, ref: WireRef, name: string, value: unknown): string {
  const shape = model.shapes[ref.shape] as WireShape;
  switch (shape.type) {
    case 'structure':
      return `<${name}>${serializeStructure(model, ref.shape, value as Record<string, unknown>)}</${name}>`;
    case 'list': {
      const memberRef = shape.member!;
      const items = value as unknown[];
      if (ref.flattened === true || shape.flattened === true) {
        const itemName = memberRef.locationName ?? name;
        return items.map((item) => serializeMember(model, memberRef, itemName, item)).join('');
      }
      const itemName = memberRef.locationName ?? 'member';
      return `<${name}>${items.map((item) => serializeMember(model, memberRef, itemName, item)).join('')}</${name}>`;
    }
    case 'map': {
      const keyName = shape.key?.locationName ?? 'key';
      const valueName = shape.value?.locationName ?? 'value';
      const entries = Object.entries(value as Record<string, unknown>).map(
        ([key, member]) => `<${keyName}>${escapeXml(key)}</${keyName}>${serializeMember(model, shape.value!, valueName, member)}`,
      );
      if (ref.flattened === true || shape.flattened === true) return entries.map((entry) => `<${name}>${entry}</${name}>`).join('');
      return `<${name}>${entries.map((entry) => `<entry>${entry}</entry>`).join('')}</${name}>`;
    }
    default:
      return `<${name}>${escapeXml(scalarText(shape, value))}</${name}>`;
  }
}

function scalarText(shape: WireShape, value: unknown): string {
  switch (shape.type) {
    case 'timestamp': {
      const date = value instanceof Date ? value : typeof value === 'number' ? new Date(value * 1000) : new Date(String(value));
      return date.toISOString();
    }
    case 'blob':
      if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return String(value);
  }
}

function writeError(entry: Registered, error: AwsError, requestId: string, res: ServerResponse): void {
  const known = entry.errorsByCode.get(error.code);
  const status = known?.shape.error?.httpStatusCode ?? error.status;
  const code = known?.wireCode ?? error.code;
  const type = known?.shape.error?.senderFault === false || status >= 500 ? 'Receiver' : 'Sender';
  const message = error.message ? `<Message>${escapeXml(error.message)}</Message>` : '';
  const extra = Object.entries(error.extra ?? {})
    .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
    .join('');
  const xml =
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="${entry.service.xmlNamespace}"><Error><Type>${type}</Type>` +
    `<Code>${escapeXml(code)}</Code>${message}${extra}</Error><RequestId>${requestId}</RequestId></ErrorResponse>\n`;
  send(res, status, requestId, xml);
}
