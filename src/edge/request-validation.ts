import type { ApiModel, Shape, ShapeRef } from './api-model.js';
import { AwsError } from './errors.js';

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
 * service, which validates them with its own, more specific rules.
 *
 * A service can refine pass 2 for its model with {@link configureValidation}:
 * the order members are reported in, and its own rendering of one operation's
 * violations (DynamoDB's newer validation framework words some differently).
 */
export function validateRequest(model: ApiModel, shapeName: string, input: unknown, opaque: ReadonlySet<string>): Record<string, unknown> {
  const checked = checkType(model, shapeName, input, opaque) as Record<string, unknown> | undefined;
  const value = checked ?? {};
  const options = configured.get(model) ?? {};
  const violations: ConstraintViolation[] = [];
  checkConstraints(model, shapeName, value, '', '', violations, opaque, options);
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

const shapeMaps = new WeakMap<ApiModel, Map<string, Shape>>();

/**
 * `model.shapes[name]`, from a Map: a model has hundreds of shapes, and a
 * lookup by a varying name in an object that large costs several times more.
 */
function shapeNamed(model: ApiModel, name: string): Shape | undefined {
  // Requests come in runs of one service: the last model's Map saves the WeakMap lookup.
  if (model !== lastModel) {
    let shapes = shapeMaps.get(model);
    if (!shapes) shapeMaps.set(model, (shapes = new Map(Object.entries(model.shapes))));
    lastModel = model;
    lastShapes = shapes;
  }
  return lastShapes!.get(name);
}
let lastModel: ApiModel | undefined;
let lastShapes: Map<string, Shape> | undefined;

const memberEntryCache = new WeakMap<Shape, [string, ShapeRef][]>();

/** A structure's members as [name, ref] pairs, in the model's order (computed once per shape). */
function memberEntries(shape: Shape): [string, ShapeRef][] {
  let entries = memberEntryCache.get(shape);
  if (!entries) memberEntryCache.set(shape, (entries = Object.entries(shape.members ?? {})));
  return entries;
}

function checkType(model: ApiModel, shapeName: string, value: unknown, opaque: ReadonlySet<string>): unknown {
  if (value === null || value === undefined) return undefined;
  const shape = shapeNamed(model, shapeName);
  if (!shape) throw new Error(`unknown shape ${shapeName}`);
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
      const javaName = { integer: 'Integer', long: 'Long', double: 'Double', float: 'Float' }[shape.type];
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
      return value.map((member) => checkType(model, shape.member!.shape, member, opaque));
    case 'map': {
      if (typeof value !== 'object') throw typeError('Expected map or null');
      if (Array.isArray(value)) throw typeError('Start of list found where not expected');
      const source = value as Record<string, unknown>;
      const valueShape = shape.value!.shape;
      const valueOpaque = opaque.has(valueShape);
      // A map of opaque values (an item) copies to an equal map, so it is not
      // copied: parsed JSON has no undefined member to drop. Unless a key is
      // "__proto__", which the copy's assignment turns into its prototype.
      if (valueOpaque && !Object.hasOwn(source, '__proto__')) return source;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(source)) {
        const member = source[key];
        const checked = valueOpaque ? member : checkType(model, valueShape, member, opaque);
        if (checked !== undefined) out[key] = checked;
      }
      return out;
    }
    case 'structure': {
      if (typeof value !== 'object') throw typeError('Expected null');
      if (Array.isArray(value)) throw typeError('Start of list found where not expected');
      if (opaque.has(shapeName)) return value;
      const out: Record<string, unknown> = {};
      const source = value as Record<string, unknown>;
      for (const [name, ref] of memberEntries(shape)) {
        const member = source[name];
        // An absent or null member checks to nothing, whatever its shape.
        if (member === undefined || member === null) continue;
        const checked = opaque.has(ref.shape) ? member : checkType(model, ref.shape, member, opaque);
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

const memberOrders = new WeakMap<ApiModel, Map<string, string[]>>();

function membersInOrder(model: ApiModel, shapeName: string, order: 'model' | 'java-hash'): string[] {
  if (order === 'model') return Object.keys(model.shapes[shapeName]!.members ?? {});
  let cache = memberOrders.get(model);
  if (!cache) memberOrders.set(model, (cache = new Map()));
  let ordered = cache.get(shapeName);
  if (!ordered) {
    const names = Object.keys(model.shapes[shapeName]!.members ?? {});
    const byLowerName = new Map(names.map((name) => [lowerFirst(name), name]));
    ordered = javaHashMapOrder([...byLowerName.keys()]).map((lower) => byLowerName.get(lower)!);
    cache.set(shapeName, ordered);
  }
  return ordered;
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

/** Records one violation of a value of `shapeName` at `path`, as long as there is room. */
function addViolation(
  violations: ConstraintViolation[],
  model: ApiModel,
  shapeName: string,
  value: unknown,
  path: string,
  member: string,
  kind: ConstraintViolation['kind'],
  constraint: string,
  source: ConstraintViolation['source'] = 'model',
): void {
  if (violations.length >= MAX_VIOLATIONS) return;
  const shown = `'${javaText(model, shapeName, value)}'`;
  violations.push({ path, member, value, kind, source, constraint, text: `Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}` });
}

function checkConstraints(
  model: ApiModel,
  shapeName: string,
  value: unknown,
  path: string,
  member: string,
  violations: ConstraintViolation[],
  opaque: ReadonlySet<string>,
  options: ValidationOptions,
  memberName?: string,
  ownChecked = false,
): void {
  if (violations.length >= MAX_VIOLATIONS || opaque.has(shapeName)) return;
  const shape = shapeNamed(model, shapeName)!;
  if (value === undefined || value === null) return;

  if (!ownChecked && hasOwnConstraints(shape)) {
    for (const [kind, constraint] of ownViolations(shape, value)) addViolation(violations, model, shapeName, value, path, member, kind, constraint);
  }
  if (shape.type === 'string') {
    const extra = memberName === undefined ? undefined : options.memberChecks?.[memberName];
    if (extra && (value as string).length > 0) {
      for (const constraint of extra(value as string)) {
        addViolation(violations, model, shapeName, value, path, member, constraint.includes('pattern') ? 'pattern' : 'length', constraint, 'service');
      }
    }
  }

  if (shape.type === 'structure') {
    const record = value as Record<string, unknown>;
    for (const name of membersInOrder(model, shapeName, options.memberOrder ?? 'model')) {
      const memberValue = record[name];
      // Most members of a request are absent: only a required one is reported, and nothing below it is checked.
      if (memberValue === undefined || memberValue === null) {
        if (memberValue === undefined && shape.required?.includes(name) && violations.length < MAX_VIOLATIONS) {
          const memberPath = (path ? `${path}.` : '') + lowerFirst(name);
          violations.push({
            path: memberPath,
            member: member || name,
            value: null,
            kind: 'required',
            source: 'model',
            constraint: 'Member must not be null',
            text: `Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`,
          });
        }
        continue;
      }
      const ref = shape.members![name]!;
      checkConstraints(model, ref.shape, memberValue, (path ? `${path}.` : '') + lowerFirst(name), member || name, violations, opaque, options, name);
    }
  } else if (shape.type === 'list') {
    const elementShape = shape.member!.shape;
    (value as unknown[]).forEach((element, i) => {
      const elementPath = `${path}.${i + 1}.member`;
      // A JSON null in a list of structures is no element at all (the type pass
      // turned it into undefined); operations would trip over it, so it is
      // reported as a null member. Nulls among other elements (attribute
      // values, keys, names) are left to the checks that already answer them.
      if ((element === undefined || element === null) && shapeNamed(model, elementShape)!.type === 'structure' && !opaque.has(elementShape)) {
        if (violations.length >= MAX_VIOLATIONS) return;
        violations.push({ path: elementPath, member, value: null, kind: 'required', source: 'model', constraint: 'Member must not be null', text: `Value null at '${elementPath}' failed to satisfy constraint: Member must not be null` });
        return;
      }
      checkConstraints(model, elementShape, element, elementPath, member, violations, opaque, options);
    });
  } else if (shape.type === 'map') {
    // A map's keys and values are reported once for the whole map, listing every
    // constraint of their shape: "Map keys must satisfy constraint: [...]" (AWS's
    // validator, as DynamoDB's BatchWriteItem answers it).
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    const keyShape = shapeNamed(model, shape.key!.shape)!;
    const valueShape = shapeNamed(model, shape.value!.shape)!;
    const valueOpaque = opaque.has(shape.value!.shape);
    const badKey = hasOwnConstraints(keyShape) ? firstBadKey(keyShape, keys) : undefined;
    const badValue =
      valueOpaque || !hasOwnConstraints(valueShape)
        ? undefined
        : keys.find((key) => record[key] !== null && record[key] !== undefined && ownViolations(valueShape, record[key]).length > 0);
    if (badKey !== undefined) {
      addViolation(violations, model, shapeName, value, path, member, ownViolations(keyShape, badKey)[0]![0], `Map keys must satisfy constraint: ${allConstraints(keyShape)}`);
    }
    if (badValue !== undefined) {
      addViolation(violations, model, shapeName, value, path, member, ownViolations(valueShape, record[badValue])[0]![0], `Map value must satisfy constraint: ${allConstraints(valueShape)}`);
    }
    // Opaque values are the service's to check.
    if (!valueOpaque) {
      for (const key of keys) {
        checkConstraints(model, shape.value!.shape, record[key], `${path}.${key}.member`, member, violations, opaque, options, undefined, true);
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
