/**
 * ExpressionAttributeNames and ExpressionAttributeValues: checked once per
 * request, shared by all of its expressions, which mark the placeholders
 * they use so that unused ones can be reported at the end.
 *
 * Texts and order: dynalite validations/index.js `validateExpressions`.
 */
import { validationError, AwsError } from '../../edge/errors.js';
import type { AttributeValue } from '../values/attribute-value.js';
import { validateAttributeValue, type ValueLayer } from '../values/validate.js';

const NAME_KEY = /^#[0-9a-zA-Z_]+$/;
const VALUE_KEY = /^:[0-9a-zA-Z_]+$/;

function entries(map: unknown): [string, unknown][] | undefined {
  if (map === undefined || map === null || typeof map !== 'object' || Array.isArray(map)) return undefined;
  return Object.entries(map);
}

export class Substitutions {
  private readonly names: ReadonlyMap<string, string>;
  private readonly values: ReadonlyMap<string, AttributeValue>;
  private readonly unusedNames: Set<string>;
  private readonly unusedValues: Set<string>;

  private constructor(names: Map<string, string>, values: Map<string, AttributeValue>) {
    this.names = names;
    this.values = values;
    this.unusedNames = new Set(names.keys());
    this.unusedValues = new Set(values.keys());
  }

  /**
   * Checks both maps: names first (empty, then each key), then values (empty,
   * each key, then each value), as DynamoDB does. The older value layer names
   * the placeholder of a bad value; the current one reports the value's own
   * error as it is.
   */
  static read(expressionAttributeNames: unknown, expressionAttributeValues: unknown, layer: ValueLayer = 'current'): Substitutions {
    const names = new Map<string, string>();
    const nameEntries = entries(expressionAttributeNames);
    if (nameEntries) {
      if (nameEntries.length === 0) throw validationError('ExpressionAttributeNames must not be empty');
      for (const [key, name] of nameEntries) {
        if (!NAME_KEY.test(key)) {
          throw validationError(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`);
        }
        names.set(key, String(name));
      }
    }

    const values = new Map<string, AttributeValue>();
    const valueEntries = entries(expressionAttributeValues);
    if (valueEntries) {
      if (valueEntries.length === 0) throw validationError('ExpressionAttributeValues must not be empty');
      for (const [key] of valueEntries) {
        if (!VALUE_KEY.test(key)) {
          throw validationError(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`);
        }
      }
      for (const [key, value] of valueEntries) values.set(key, checkValue(key, value, layer));
    }
    return new Substitutions(names, values);
  }

  /** The attribute name a #name stands for, or undefined if the request does not define it. */
  name(placeholder: string): string | undefined {
    const name = this.names.get(placeholder);
    if (name !== undefined) this.unusedNames.delete(placeholder);
    return name;
  }

  /** The value a :value stands for, or undefined if the request does not define it. */
  value(placeholder: string): AttributeValue | undefined {
    const value = this.values.get(placeholder);
    if (value !== undefined) this.unusedValues.delete(placeholder);
    return value;
  }

  /** After all expressions are compiled: every name, then every value, must have been used. */
  checkAllUsed(): void {
    if (this.unusedNames.size > 0) {
      throw validationError(
        `Value provided in ExpressionAttributeNames unused in expressions: keys: {${[...this.unusedNames].join(', ')}}`,
      );
    }
    if (this.unusedValues.size > 0) {
      throw validationError(
        `Value provided in ExpressionAttributeValues unused in expressions: keys: {${[...this.unusedValues].join(', ')}}`,
      );
    }
  }
}

/** Validates one value; in the older layer a ValidationException names the placeholder it came from. */
function checkValue(key: string, value: unknown, layer: ValueLayer): AttributeValue {
  if (layer === 'current') return validateAttributeValue(value, layer);
  try {
    return validateAttributeValue(value, layer);
  } catch (error) {
    if (error instanceof AwsError && error.code === 'ValidationException') {
      throw validationError(`ExpressionAttributeValues contains invalid value: ${error.message} for key ${key}`);
    }
    throw error;
  }
}
