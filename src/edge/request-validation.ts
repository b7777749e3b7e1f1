import type { ApiModel } from './api-model.js';
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
 */
export function validateRequest(model: ApiModel, shapeName: string, input: unknown, opaque: ReadonlySet<string>): Record<string, unknown> {
  const checked = checkType(model, shapeName, input, opaque) as Record<string, unknown> | undefined;
  const value = checked ?? {};
  const errors: string[] = [];
  checkConstraints(model, shapeName, value, '', errors, opaque);
  if (errors.length > 0) {
    const count = `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: `;
    throw new AwsError('ValidationException', count + errors.join('; '));
  }
  return value;
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

function checkType(model: ApiModel, shapeName: string, value: unknown, opaque: ReadonlySet<string>): unknown {
  if (value === null || value === undefined) return undefined;
  const shape = model.shapes[shapeName];
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
      const out: Record<string, unknown> = {};
      for (const [key, member] of Object.entries(value)) {
        const checked = opaque.has(shape.value!.shape) ? member : checkType(model, shape.value!.shape, member, opaque);
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
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const checked = opaque.has(ref.shape) ? source[name] ?? undefined : checkType(model, ref.shape, source[name], opaque);
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

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/** How AWS prints an offending value inside a constraint message. */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `'[${value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')}]'`;
  if (typeof value === 'object') return `'${JSON.stringify(value)}'`;
  return `'${String(value)}'`;
}

function checkConstraints(model: ApiModel, shapeName: string, value: unknown, path: string, errors: string[], opaque: ReadonlySet<string>): void {
  if (errors.length >= 10 || opaque.has(shapeName)) return;
  const shape = model.shapes[shapeName]!;
  const fail = (constraint: string): void => {
    if (errors.length < 10) errors.push(`Value ${describeValue(value)} at '${path}' failed to satisfy constraint: Member must ${constraint}`);
  };
  if (value === undefined || value === null) return;

  if (shape.type === 'string' || shape.type === 'list' || shape.type === 'map' || shape.type === 'blob') {
    const length =
      shape.type === 'map' ? Object.keys(value as object).length
      : shape.type === 'blob' ? Buffer.byteLength(value as string, 'base64')
      : (value as string | unknown[]).length;
    if (shape.min !== undefined && length < shape.min) fail(`have length greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && length > shape.max) fail(`have length less than or equal to ${shape.max}`);
  }
  if (shape.type === 'integer' || shape.type === 'long' || shape.type === 'double' || shape.type === 'float') {
    if (shape.min !== undefined && (value as number) < shape.min) fail(`have value greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && (value as number) > shape.max) fail(`have value less than or equal to ${shape.max}`);
  }
  if (shape.type === 'string') {
    if (shape.pattern !== undefined && !patternOf(shape.pattern).test(value as string)) fail(`satisfy regular expression pattern: ${shape.pattern}`);
    if (shape.enum !== undefined && !shape.enum.includes(value as string)) fail(`satisfy enum value set: [${shape.enum.join(', ')}]`);
  }

  const prefix = path ? `${path}.` : '';
  if (shape.type === 'structure') {
    const record = value as Record<string, unknown>;
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      const memberPath = prefix + lowerFirst(name);
      if (record[name] === undefined && shape.required?.includes(name)) {
        if (errors.length < 10) errors.push(`Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`);
        continue;
      }
      checkConstraints(model, ref.shape, record[name], memberPath, errors, opaque);
    }
  } else if (shape.type === 'list') {
    (value as unknown[]).forEach((member, i) => checkConstraints(model, shape.member!.shape, member, `${path}.${i + 1}.member`, errors, opaque));
  } else if (shape.type === 'map') {
    for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
      checkConstraints(model, shape.key!.shape, key, `${path}.${key}.key`, errors, opaque);
      checkConstraints(model, shape.value!.shape, member, `${path}.${key}.member`, errors, opaque);
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
    re = new RegExp(`^(?:${js})$`);
    patterns.set(pattern, re);
  }
  return re;
}
