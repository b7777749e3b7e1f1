import type { ApiModel, Shape } from './api-model.js';
import { AwsError } from './errors.js';
import { setOwn } from '../own-property.js';

/**
 * Checks an untrusted JSON request against the AWS API model the way AWS's
 * front end does, in the same two passes:
 *  1. types: a value of the wrong JSON type is a SerializationException with the
 *     Java-flavoured texts AWS sends ("class java.lang.Integer can not be converted
 *     to an String"); members the model does not know are dropped;
 *  2. constraints: required, length, range, pattern and enum violations are
 *     collected (at most 10) into one ValidationException
 *     "2 validation errors detected: Value '...' at 'a.b' failed to satisfy constraint: ...".
 * Shapes named in `opaque` (e.g. DynamoDB's AttributeValue) are left to the
 * service, which validates them with its own, more specific rules. The model,
 * its options and the opaque names are compiled into a graph of the shapes the
 * input reaches on first use, so none of them may change afterwards (except by
 * configureValidation, which the graph follows).
 *
 * A service can refine pass 2 for its model with {@link configureValidation}:
 * the order members are reported in, and its own rendering of one operation's
 * violations (DynamoDB's newer validation framework words some differently).
 */
export function validateRequest(model: ApiModel, shapeName: string, input: unknown, opaque: ReadonlySet<string>): Record<string, unknown> {
  const configuredOptions = configured.get(model);
  const root = nodeOf(model, shapeName, opaque, configuredOptions);
  const checked = checkType(root, input) as Record<string, unknown> | undefined;
  const value = checked ?? {};
  const options = configuredOptions ?? {};
  const walk = new ConstraintWalk(model);
  checkConstraints(walk, root, value, '', undefined, false);
  const { violations } = walk;
  if (violations.length > 0) {
    const reported = options.report?.[shapeName]?.(violations, input);
    throw reported ?? validationErrors(violations.map((v) => v.text));
  }
  return value;
}

/** One constraint a request breaks, as pass 2 found it. */
export interface ConstraintViolation {
  /** Where, as AWS prints it in the older form: 'tableName', 'keySchema.1.member.keyType'. */
  readonly path: string;
  /** The input member it is in, as the model spells it: 'TableName'. */
  readonly member: string;
  readonly value: unknown;
  readonly kind: 'required' | 'length' | 'range' | 'pattern' | 'enum';
  /** 'model' for the model's constraints, 'service' for those a service adds with `memberChecks`. */
  readonly source: 'model' | 'service';
  /** 'Member must satisfy enum value set: [A, B]'. */
  readonly constraint: string;
  /** The older, per-value form: "Value 'x' at 'a.b' failed to satisfy constraint: ...". */
  readonly text: string;
}

export interface ValidationOptions {
  /**
   * The order a structure's members are checked and reported in: the model's,
   * or the iteration order of a Java HashMap keyed by the lower-camel member
   * names, which is what AWS's validator reports in ("returnConsumedCapacity,
   * tableName, returnValues, key" for UpdateItem).
   */
  memberOrder?: 'model' | 'java-hash';
  /**
   * Constraints the model cannot express, by member name: the texts a string
   * member's value breaks ("Member must have length greater than or equal to
   * 3"), checked after the model's own, for a value of at least one character.
   */
  memberChecks?: Record<string, (value: string) => string[]>;
  /**
   * Per input shape: the error to answer for its violations, or undefined for
   * the default "N validation errors detected: ..." of their older texts.
   */
  report?: Record<string, (violations: readonly ConstraintViolation[], input: unknown) => AwsError | undefined>;
}

const configured = new WeakMap<ApiModel, ValidationOptions>();

/** Sets how requests validated against `model` order and report constraint violations. */
export function configureValidation(model: ApiModel, options: ValidationOptions): void {
  configured.set(model, options);
}

/** AWS's aggregate: "1 validation error detected: a" or "2 validation errors detected: a; b" (at most 10). */
export function validationErrors(texts: readonly string[]): AwsError {
  const shown = texts.slice(0, 10);
  const count = `${shown.length} validation error${shown.length > 1 ? 's' : ''} detected: `;
  return new AwsError('ValidationException', count + shown.join('; '));
}

/** Java's String.hashCode. */
function javaHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * `names` in the order a java.util.HashMap holding them iterates: by bucket,
 * then insertion order. The table starts at 16 buckets and doubles while more
 * than three quarters full, unless `capacity` fixes it.
 */
export function javaHashMapOrder(names: readonly string[], capacity?: number): string[] {
  let buckets = capacity ?? 16;
  while (capacity === undefined && names.length > buckets * 0.75) buckets *= 2;
  const bucketOf = (name: string): number => {
    const hash = javaHash(name);
    return (hash ^ (hash >>> 16)) & (buckets - 1);
  };
  return names
    .map((name, index) => ({ name, index, bucket: bucketOf(name) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((entry) => entry.name);
}

const typeError = (message: string): AwsError => new AwsError('SerializationException', message, 400, undefined, 'Message');

/** The Java class AWS's deserialiser names for a JSON number. */
function javaClassOf(n: number): string {
  if (n % 1 !== 0) return 'java.lang.Double';
  if (n >= -32768 && n <= 32767) return 'java.lang.Short';
  if (n >= -2147483648 && n <= 2147483647) return 'java.lang.Integer';
  return 'java.lang.Long';
}

function wrongContainer(value: object): AwsError {
  return Array.isArray(value) ? typeError('Start of list found where not expected') : typeError('Start of structure or map found where not expected.');
}

/**
 * A shape as the two passes walk it: its references resolved to the nodes of
 * the shapes they name, and what the walk asks of it worked out once, when a
 * model is first validated against with a set of opaque shapes and options.
 */
interface ShapeNode {
  readonly name: string;
  /** Undefined for a name the model lacks. */
  readonly shape: Shape | undefined;
  /** Named in `opaque`: the service checks its values. */
  readonly opaque: boolean;
  /** It has a min, max, pattern or enum of its own. */
  readonly constrained: boolean;
  /** Structure: its members in the model's order (the type pass reads this) ... */
  members: MemberNode[];
  /** ... and in the order the constraint pass reports them in. */
  checkedMembers: MemberNode[];
  /** List: its element. */
  element: ShapeNode | undefined;
  /** Map: its keys and values. */
  key: ShapeNode | undefined;
  value: ShapeNode | undefined;
  /** The constraint pass finds nothing below the value's own constraints (its members, elements, keys, values). */
  deepInert: boolean;
  /** The constraint pass finds nothing in any value of it: it is not visited. */
  inert: boolean;
  /** `deepInert` and `inert` are worked out (see settleInertness). */
  settled: boolean;
}

interface MemberNode {
  readonly name: string;
  /** As AWS prints it in a path: 'tableName'. */
  readonly lower: string;
  readonly node: ShapeNode;
  readonly required: boolean;
  /** The service's own checks of the member (`memberChecks`). */
  readonly extra: ((value: string) => string[]) | undefined;
  /** The constraint pass finds nothing in any present value of the member: it is not visited. */
  inert: boolean;
}

/** The nodes of one model, for one set of opaque shapes and one configuration. */
type ShapeGraph = Map<string, ShapeNode>;

interface ModelGraphs {
  readonly options: ValidationOptions | undefined;
  /** By the opaque shapes' names, joined: callers pass one constant set, or a new empty one each time. */
  readonly byOpaque: Map<string, ShapeGraph>;
}

const graphs = new WeakMap<ApiModel, ModelGraphs>();

/**
 * The node of `shapeName`, built with every shape it reaches. Requests come in
 * runs of one service: the last model's graph saves the lookups.
 */
function nodeOf(model: ApiModel, shapeName: string, opaque: ReadonlySet<string>, options: ValidationOptions | undefined): ShapeNode {
  let graph: ShapeGraph;
  if (model === lastModel && opaque === lastOpaque && options === lastOptions) graph = lastGraph!;
  else {
    let forModel = graphs.get(model);
    // configureValidation after a graph was built: the member order and checks are the new options'.
    if (!forModel || forModel.options !== options) graphs.set(model, (forModel = { options, byOpaque: new Map() }));
    const opaqueKey = opaque.size === 0 ? '' : [...opaque].join('\n');
    let found = forModel.byOpaque.get(opaqueKey);
    if (!found) forModel.byOpaque.set(opaqueKey, (found = new Map()));
    graph = found;
    lastModel = model;
    lastOpaque = opaque;
    lastOptions = options;
    lastGraph = graph;
  }
  return graph.get(shapeName) ?? buildNodes(model, graph, shapeName, opaque, options);
}
let lastModel: ApiModel | undefined;
let lastOpaque: ReadonlySet<string> | undefined;
let lastOptions: ValidationOptions | undefined;
let lastGraph: ShapeGraph | undefined;

/** Adds the node of `rootName` and of every shape it reaches to `graph`; returns the first. */
function buildNodes(model: ApiModel, graph: ShapeGraph, rootName: string, opaque: ReadonlySet<string>, options: ValidationOptions | undefined): ShapeNode {
  const added: ShapeNode[] = [];
  const node = (name: string): ShapeNode => {
    let found = graph.get(name);
    if (found) return found;
    const shape = Object.hasOwn(model.shapes, name) ? model.shapes[name] : undefined;
    found = {
      name,
      shape,
      opaque: opaque.has(name),
      constrained: shape !== undefined && hasOwnConstraints(shape),
      members: [],
      checkedMembers: [],
      element: undefined,
      key: undefined,
      value: undefined,
      deepInert: false,
      inert: false,
      settled: false,
    };
    graph.set(name, found);
    added.push(found);
    if (shape?.type === 'structure') {
      const byName = new Map<string, MemberNode>();
      for (const [memberName, ref] of Object.entries(shape.members ?? {})) {
        const member: MemberNode = {
          name: memberName,
          lower: lowerFirst(memberName),
          node: node(ref.shape),
          required: shape.required?.includes(memberName) ?? false,
          extra: options?.memberChecks?.[memberName],
          inert: false,
        };
        found.members.push(member);
        byName.set(memberName, member);
      }
      found.checkedMembers = membersInOrder(shape, options?.memberOrder ?? 'model').map((memberName) => byName.get(memberName)!);
    }
    if (shape?.type === 'list') found.element = node(shape.member!.shape);
    if (shape?.type === 'map') {
      found.key = node(shape.key!.shape);
      found.value = node(shape.value!.shape);
    }
    return found;
  };
  const root = node(rootName);
  settleInertness(added);
  return root;
}

/**
 * Works out which nodes the constraint pass can skip. A node whose answer
 * depends on itself (a recursive shape) is taken to find something: that
 * only costs the visit the walk always made.
 */
function settleInertness(nodes: readonly ShapeNode[]): void {
  const pending = new Set<ShapeNode>();
  const deepInert = (node: ShapeNode): boolean => {
    if (node.settled) return node.deepInert;
    if (pending.has(node)) return false;
    pending.add(node);
    node.deepInert = deepInertOf(node, deepInert);
    node.inert = node.opaque || (node.shape !== undefined && !node.constrained && node.deepInert);
    for (const member of node.members) member.inert = memberInert(member, deepInert);
    pending.delete(node);
    node.settled = true;
    return node.deepInert;
  };
  for (const node of nodes) deepInert(node);
}

/** Whether a present value of `member` can break nothing: its shape's values break nothing, and the service has no checks of its own for it. */
function memberInert(member: MemberNode, deepInert: (node: ShapeNode) => boolean): boolean {
  return nodeInert(member.node, deepInert) && (member.extra === undefined || member.node.shape!.type !== 'string');
}

/** Whether no value of `node` can break anything (false while that is being worked out). */
function nodeInert(node: ShapeNode, deepInert: (node: ShapeNode) => boolean): boolean {
  const below = deepInert(node);
  return node.opaque || (node.shape !== undefined && !node.constrained && below);
}

/** Whether the constraint pass finds nothing below a value's own constraints: in its members, elements, keys or values. */
function deepInertOf(node: ShapeNode, deepInert: (node: ShapeNode) => boolean): boolean {
  const { shape } = node;
  if (node.opaque) return true;
  if (shape === undefined) return false;
  switch (shape.type) {
    case 'structure':
      return node.members.every((member) => !member.required && memberInert(member, deepInert));
    case 'list': {
      const element = node.element!;
      // A null element of a list of structures is reported.
      return nodeInert(element, deepInert) && !(element.shape?.type === 'structure' && !element.opaque);
    }
    case 'map': {
      const value = node.value!;
      return !node.key!.constrained && (value.opaque || (!value.constrained && deepInert(value)));
    }
    default:
      return true;
  }
}

const JAVA_NUMBER_NAMES = { integer: 'Integer', long: 'Long', double: 'Double', float: 'Float' } as const;

function checkType(node: ShapeNode, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  const shape = node.shape;
  if (!shape) throw new Error(`unknown shape ${node.name}`);
  switch (shape.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number') {
        if (javaClassOf(value) !== 'java.lang.Double') throw typeError(`class ${javaClassOf(value)} can not be converted to an Boolean`);
        return Math.abs(value) >= 1;
      }
      if (typeof value === 'string') throw typeError(`'${value.toUpperCase()}' can not be converted to an Boolean`);
      throw wrongContainer(value);
    case 'integer':
    case 'long':
    case 'double':
    case 'float': {
      const javaName = JAVA_NUMBER_NAMES[shape.type];
      if (typeof value === 'number') return shape.type === 'integer' || shape.type === 'long' ? Math.floor(value) : value;
      if (typeof value === 'boolean') throw typeError(`class java.lang.Boolean can not be converted to an ${javaName}`);
      if (typeof value === 'string') throw typeError(`class java.lang.String can not be converted to an ${javaName}`);
      throw wrongContainer(value);
    }
    case 'timestamp':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value) / 1000;
      if (typeof value === 'boolean' || typeof value === 'string') throw typeError(`class java.lang.${typeof value === 'boolean' ? 'Boolean' : 'String'} can not be converted to a Date`);
      throw wrongContainer(value);
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'boolean') throw typeError('class java.lang.Boolean can not be converted to an String');
      if (typeof value === 'number') throw typeError(`class ${javaClassOf(value)} can not be converted to an String`);
      throw wrongContainer(value);
    case 'blob':
      if (typeof value === 'string') return checkBase64(value);
      if (typeof value === 'boolean') throw typeError('class java.lang.Boolean can not be converted to a Blob');
      if (typeof value === 'number') throw typeError(`class ${javaClassOf(value)} can not be converted to a Blob`);
      throw wrongContainer(value);
    case 'list':
      if (typeof value !== 'object') throw typeError('Expected list or null');
      if (!Array.isArray(value)) throw typeError('Start of structure or map found where not expected.');
      return value.map((member) => checkType(node.element!, member));
    case 'map': {
      if (typeof value !== 'object') throw typeError('Expected map or null');
      if (Array.isArray(value)) throw typeError('Start of list found where not expected');
      const source = value as Record<string, unknown>;
      const valueNode = node.value!;
      const valueOpaque = valueNode.opaque;
      // A map of opaque values (an item) copies to an equal map, so it is not
      // copied: parsed JSON has no undefined member to drop.
      if (valueOpaque) return source;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(source)) {
        const checked = checkType(valueNode, source[key]);
        if (checked === undefined) continue;
        setOwn(out, key, checked);
      }
      return out;
    }
    case 'structure': {
      if (typeof value !== 'object') throw typeError('Expected null');
      if (Array.isArray(value)) throw typeError('Start of list found where not expected');
      if (node.opaque) return value;
      const out: Record<string, unknown> = {};
      const source = value as Record<string, unknown>;
      for (const { name, node: memberNode } of node.members) {
        const member = source[name];
        // An absent or null member checks to nothing, whatever its shape.
        if (member === undefined || member === null) continue;
        const checked = memberNode.opaque ? member : checkType(memberNode, member);
        if (checked !== undefined) out[name] = checked;
      }
      return out;
    }
  }
}

function checkBase64(text: string): string {
  if (text.length % 4 !== 0) {
    throw typeError(`'${text}' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: ${text.length}`);
  }
  const bad = /[^a-zA-Z0-9+/=]|=[^=]/.exec(text);
  if (bad) throw typeError(`'${text}' can not be converted to a Blob: Invalid Base64 character: '${bad[0][0]}'`);
  if (Buffer.from(text, 'base64').toString('base64') !== text) {
    throw typeError(`'${text}' can not be converted to a Blob: Invalid last non-pad Base64 character dectected`);
  }
  return text;
}

const lowerNames = new Map<string, string>();

/** A model's member name as AWS prints it ('tableName'); remembered, since models have only so many. */
function lowerFirst(name: string): string {
  let lower = lowerNames.get(name);
  if (lower === undefined) {
    lower = name.charAt(0).toLowerCase() + name.slice(1);
    lowerNames.set(name, lower);
  }
  return lower;
}

/**
 * How AWS prints a value in a constraint message: scalars as they are, lists
 * and structures as Java's toString of the request object does,
 * `[KeySchemaElement(attributeName=pk, keyType=HASH), ...]`, with every member
 * the shape has (null when absent) and maps as `{key=value}`.
 */
export function javaText(model: ApiModel, shapeName: string | undefined, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  const shape = shapeName === undefined ? undefined : model.shapes[shapeName];
  if (Array.isArray(value)) return `[${value.map((v) => javaText(model, shape?.member?.shape, v)).join(', ')}]`;
  if (typeof value !== 'object') return String(value);
  const record = value as Record<string, unknown>;
  if (shape?.type === 'structure' && shapeName !== undefined) {
    const members = Object.entries(shape.members ?? {}).map(([name, ref]) => `${lowerFirst(name)}=${javaText(model, ref.shape, record[name])}`);
    return `${shapeName}(${members.join(', ')})`;
  }
  const valueShape = shape?.type === 'map' ? shape.value?.shape : undefined;
  return `{${Object.entries(record).map(([key, member]) => `${key}=${javaText(model, valueShape, member)}`).join(', ')}}`;
}

/** A structure's member names in the order `order` reports them in. */
function membersInOrder(shape: Shape, order: 'model' | 'java-hash'): string[] {
  const names = Object.keys(shape.members ?? {});
  if (order === 'model') return names;
  const byLowerName = new Map(names.map((name) => [lowerFirst(name), name]));
  return javaHashMapOrder([...byLowerName.keys()]).map((lower) => byLowerName.get(lower)!);
}

/** Collecting stops here: AWS reports at most 10, a service's own rendering needs a few more to choose from. */
const MAX_VIOLATIONS = 100;

const NO_VIOLATIONS: readonly [ConstraintViolation['kind'], string][] = [];

function withViolation(
  broken: [ConstraintViolation['kind'], string][] | undefined,
  kind: ConstraintViolation['kind'],
  constraint: string,
): [ConstraintViolation['kind'], string][] {
  (broken ??= []).push([kind, constraint]);
  return broken;
}

/** The constraints of `shape` that `value` breaks, each with its kind; nothing about members. */
function ownViolations(shape: Shape, value: unknown): readonly [ConstraintViolation['kind'], string][] {
  // Allocated only for a value that breaks one: most break none.
  let broken: [ConstraintViolation['kind'], string][] | undefined;
  if (shape.type === 'string' || shape.type === 'list' || shape.type === 'map' || shape.type === 'blob') {
    const length =
      shape.type === 'map' ? Object.keys(value as object).length
      : shape.type === 'blob' ? Buffer.byteLength(value as string, 'base64')
      : (value as string | unknown[]).length;
    if (shape.min !== undefined && length < shape.min) broken = withViolation(broken, 'length', `Member must have length greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && length > shape.max) broken = withViolation(broken, 'length', `Member must have length less than or equal to ${shape.max}`);
  }
  if (shape.type === 'integer' || shape.type === 'long' || shape.type === 'double' || shape.type === 'float') {
    if (shape.min !== undefined && (value as number) < shape.min) broken = withViolation(broken, 'range', `Member must have value greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && (value as number) > shape.max) broken = withViolation(broken, 'range', `Member must have value less than or equal to ${shape.max}`);
  }
  if (shape.type === 'string') {
    if (shape.pattern !== undefined && !patternOf(shape.pattern).test(value as string)) broken = withViolation(broken, 'pattern', `Member must satisfy regular expression pattern: ${shape.pattern}`);
    if (shape.enum !== undefined && !shape.enum.includes(value as string)) broken = withViolation(broken, 'enum', `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
  }
  return broken ?? NO_VIOLATIONS;
}

/**
 * The first of a map's `keys` that breaks a constraint of `keyShape`. Keys
 * limited by length only (attribute names: at most 65,535) are measured
 * here, without {@link ownViolations}' list: an item has one key per attribute.
 */
function firstBadKey(keyShape: Shape, keys: readonly string[]): string | undefined {
  if (keyShape.type !== 'string' || keyShape.pattern !== undefined || keyShape.enum !== undefined) return keys.find((key) => ownViolations(keyShape, key).length > 0);
  const min = keyShape.min ?? 0;
  const max = keyShape.max ?? Infinity;
  for (const key of keys) if (key.length < min || key.length > max) return key;
  return undefined;
}

/** Every constraint `shape` has, as a map's keys or values are reported: "[max, min, pattern]". */
function allConstraints(shape: Shape): string {
  const all: string[] = [];
  const isNumber = shape.type === 'integer' || shape.type === 'long' || shape.type === 'double' || shape.type === 'float';
  const measure = isNumber ? 'value' : 'length';
  if (shape.max !== undefined) all.push(`Member must have ${measure} less than or equal to ${shape.max}`);
  if (shape.min !== undefined) all.push(`Member must have ${measure} greater than or equal to ${shape.min}`);
  if (shape.pattern !== undefined) all.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
  if (shape.enum !== undefined) all.push(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
  return `[${all.join(', ')}]`;
}

/** Whether `shape` has any constraint of its own: without one, {@link ownViolations} has nothing to find. */
function hasOwnConstraints(shape: Shape): boolean {
  return shape.min !== undefined || shape.max !== undefined || shape.pattern !== undefined || shape.enum !== undefined;
}

/**
 * The constraint pass's state: what it found, and where it is. The path is
 * kept as a stack of segments and printed only for a violation: most values
 * break nothing, and printing every member's and element's path cost more
 * than checking it.
 */
class ConstraintWalk {
  readonly violations: ConstraintViolation[] = [];
  /** A member's lower-camel name, or a list element's number or map key (printed '.<segment>.member'). */
  private readonly segments: (string | number)[] = [];
  private readonly isMember: boolean[] = [];
  private depth = 0;

  constructor(readonly model: ApiModel) {}

  enter(segment: string | number, isMember: boolean): void {
    this.segments[this.depth] = segment;
    this.isMember[this.depth] = isMember;
    this.depth++;
  }

  leave(): void {
    this.depth--;
  }

  /** Where the walk is, as AWS prints it: 'keySchema.1.member.keyType'. */
  path(): string {
    let path = '';
    for (let i = 0; i < this.depth; i++) {
      const segment = this.segments[i]!;
      path = this.isMember[i] ? (path ? `${path}.` : '') + segment : `${path}.${segment}.member`;
    }
    return path;
  }

  /** Records one violation of a value of `shapeName` where the walk is, as long as there is room. */
  add(shapeName: string, value: unknown, member: string, kind: ConstraintViolation['kind'], constraint: string, source: ConstraintViolation['source'] = 'model'): void {
    if (this.violations.length >= MAX_VIOLATIONS) return;
    const path = this.path();
    const shown = `'${javaText(this.model, shapeName, value)}'`;
    this.violations.push({ path, member, value, kind, source, constraint, text: `Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}` });
  }

  /** Records that the value at `path` is missing, as long as there is room. */
  addMissing(path: string, member: string): void {
    if (this.violations.length >= MAX_VIOLATIONS) return;
    this.violations.push({
      path,
      member,
      value: null,
      kind: 'required',
      source: 'model',
      constraint: 'Member must not be null',
      text: `Value null at '${path}' failed to satisfy constraint: Member must not be null`,
    });
  }
}

/**
 * Pass 2 for one value of `node`, where `walk` is. `member` is the input
 * member it is in ('' at the top), `extra` the service's checks of the member
 * it is the value of, `ownChecked` whether its own constraints were checked
 * already (a map's values are, for the whole map).
 */
function checkConstraints(
  walk: ConstraintWalk,
  node: ShapeNode,
  value: unknown,
  member: string,
  extra: ((value: string) => string[]) | undefined,
  ownChecked: boolean,
): void {
  const { violations } = walk;
  if (violations.length >= MAX_VIOLATIONS || node.opaque) return;
  const shape = node.shape!;
  if (value === undefined || value === null) return;

  if (!ownChecked && node.constrained) {
    for (const [kind, constraint] of ownViolations(shape, value)) walk.add(node.name, value, member, kind, constraint);
  }
  if (shape.type === 'string' && extra && (value as string).length > 0) {
    for (const constraint of extra(value as string)) {
      walk.add(node.name, value, member, constraint.includes('pattern') ? 'pattern' : 'length', constraint, 'service');
    }
  }
  if (node.deepInert) return;

  if (shape.type === 'structure') {
    const record = value as Record<string, unknown>;
    for (const memberNode of node.checkedMembers) {
      const memberValue = record[memberNode.name];
      // Most members of a request are absent: only a required one is reported, and nothing below it is checked.
      if (memberValue === undefined || memberValue === null) {
        if (memberValue === undefined && memberNode.required && violations.length < MAX_VIOLATIONS) {
          const path = walk.path();
          walk.addMissing((path ? `${path}.` : '') + memberNode.lower, member || memberNode.name);
        }
        continue;
      }
      if (memberNode.inert) continue;
      walk.enter(memberNode.lower, true);
      checkConstraints(walk, memberNode.node, memberValue, member || memberNode.name, memberNode.extra, false);
      walk.leave();
    }
  } else if (shape.type === 'list') {
    const element = node.element!;
    // A JSON null in a list of structures is no element at all (the type pass
    // turned it into undefined); operations would trip over it, so it is
    // reported as a null member. Nulls among other elements (attribute
    // values, keys, names) are left to the checks that already answer them.
    const nullIsMissing = element.shape!.type === 'structure' && !element.opaque;
    const list = value as unknown[];
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      if (item === undefined || item === null) {
        // A hole in a sparse array is no element (forEach skips it); parsed JSON has none.
        if (nullIsMissing && (item !== undefined || i in list)) walk.addMissing(`${walk.path()}.${i + 1}.member`, member);
        continue;
      }
      if (element.inert) continue;
      walk.enter(i + 1, false);
      checkConstraints(walk, element, item, member, undefined, false);
      walk.leave();
    }
  } else if (shape.type === 'map') {
    // A map's keys and values are reported once for the whole map, listing every
    // constraint of their shape: "Map keys must satisfy constraint: [...]" (AWS's
    // validator, as DynamoDB's BatchWriteItem answers it).
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    const keyNode = node.key!;
    const valueNode = node.value!;
    const keyShape = keyNode.shape!;
    const valueShape = valueNode.shape!;
    const valueOpaque = valueNode.opaque;
    const badKey = keyNode.constrained ? firstBadKey(keyShape, keys) : undefined;
    const badValue =
      valueOpaque || !valueNode.constrained
        ? undefined
        : keys.find((key) => record[key] !== null && record[key] !== undefined && ownViolations(valueShape, record[key]).length > 0);
    if (badKey !== undefined) {
      walk.add(node.name, value, member, ownViolations(keyShape, badKey)[0]![0], `Map keys must satisfy constraint: ${allConstraints(keyShape)}`);
    }
    if (badValue !== undefined) {
      walk.add(node.name, value, member, ownViolations(valueShape, record[badValue])[0]![0], `Map value must satisfy constraint: ${allConstraints(valueShape)}`);
    }
    // Opaque values are the service's to check.
    if (!valueOpaque && !valueNode.deepInert) {
      for (const key of keys) {
        walk.enter(key, false);
        checkConstraints(walk, valueNode, record[key], member, undefined, true);
        walk.leave();
      }
    }
  }
}

const patterns = new Map<string, RegExp>();
/** Compiles a model pattern (Java regex syntax) to a JavaScript RegExp. */
function patternOf(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    // Java's \p{Print} has no JavaScript spelling: printable means no control characters.
    const js = pattern.replaceAll('\\p{Print}', '[^\\x00-\\x1F\\x7F]');
    // Unicode property classes (IAM's tag keys: \p{L}\p{Z}\p{N}) need the u flag; without it \p is a plain 'p'.
    re = new RegExp(`^(?:${js})$`, js.includes('\\p{') ? 'u' : '');
    patterns.set(pattern, re);
  }
  return re;
}
