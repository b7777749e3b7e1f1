/**
 * The checks DynamoDB makes on a parsed UpdateExpression, and the compiled
 * Update they produce.
 *
 * Priority of the reported error (dynalite db/updateParser.pegjs, from
 * DynamoDB): a reserved word, an unknown function, a repeated section, an
 * undefined #name, an undefined :value, overlapping paths, conflicting
 * paths, an ADD or DELETE operand of the wrong type, then a function's
 * operands (count, document path, type). Within each kind the first
 * occurrence in the text is reported.
 */
import { typeOf, type AttributeType, type AttributeValue } from '../values/attribute-value.js';
import type { Path, PathElement, SetValue, Update, UpdateAction, UpdateOperand } from './ast.js';
import { findPathClash, pathClashMessage } from './paths.js';
import { isReservedWord } from './reserved-words.js';
import type { Substitutions } from './substitutions.js';
import type { RawOperand, RawPath } from './syntax.js';
import type { RawSection, RawSetValue, SectionName } from './update-syntax.js';

const FUNCTION_ARITY: Readonly<Record<string, number>> = { if_not_exists: 2, list_append: 2, '+': 2, '-': 2 };

/** How ADD and DELETE name the scalar, list and map types they refuse. */
const OPERAND_TYPE_NAMES: Partial<Record<AttributeType, string>> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  NULL: 'NULL',
  BOOL: 'BOOLEAN',
  L: 'LIST',
  M: 'MAP',
};

type Checked =
  | { readonly kind: 'path'; readonly path: Path | undefined }
  | { readonly kind: 'value'; readonly value: AttributeValue | undefined }
  | { readonly kind: 'function'; readonly name: string; readonly args: readonly Checked[] };

interface Found {
  reserved?: string;
  unknownFunction?: string;
  section?: string;
  name?: string;
  value?: string;
  overlap?: string;
  conflict?: string;
  operand?: string;
  function?: string;
}

const isArithmetic = (raw: RawSetValue): raw is Extract<RawSetValue, { type: 'plus' | 'minus' }> =>
  raw.type === 'plus' || raw.type === 'minus';

const literalType = (checked: Checked): AttributeType | undefined =>
  checked.kind === 'value' && checked.value !== undefined ? typeOf(checked.value) : undefined;

class UpdateChecker {
  readonly found: Found = {};
  readonly paths: (Path | undefined)[] = [];

  constructor(private readonly substitutions: Substitutions) {}

  private note(kind: keyof Found, message: string): void {
    this.found[kind] ??= message;
  }

  path(raw: RawPath): Path | undefined {
    const path: PathElement[] = [];
    let resolved = true;
    for (const element of raw.elements) {
      if (element.kind === 'index') {
        path.push(element.index);
      } else if (element.kind === 'word') {
        if (isReservedWord(element.text)) {
          this.note('reserved', `Attribute name is a reserved keyword; reserved keyword: ${element.text}`);
        }
        path.push(element.text);
      } else {
        const name = this.substitutions.name(element.text);
        if (name === undefined) {
          this.note(
            'name',
            `An expression attribute name used in the document path is not defined; attribute name: ${element.text}`,
          );
          resolved = false;
        } else {
          path.push(name);
        }
      }
    }
    return resolved ? path : undefined;
  }

  value(name: string): AttributeValue | undefined {
    const value = this.substitutions.value(name);
    if (value === undefined) {
      this.note('value', `An expression attribute value used in expression is not defined; attribute value: ${name}`);
    }
    return value;
  }

  operand(raw: RawOperand): Checked {
    switch (raw.type) {
      case 'path':
        return { kind: 'path', path: this.path(raw) };
      case 'value':
        return { kind: 'value', value: this.value(raw.name) };
      case 'function':
        return this.call(raw.name, raw.args.map((arg) => this.operand(arg)));
    }
  }

  setValue(raw: RawSetValue): Checked {
    if (isArithmetic(raw)) {
      const args = raw.args.map((arg) => this.operand(arg));
      return this.call(raw.type === 'plus' ? '+' : '-', args);
    }
    return this.operand(raw);
  }

  /** dynalite's `checkFunction` for update functions and the + and - operators. */
  private call(name: string, args: readonly Checked[]): Checked {
    const call: Checked = { kind: 'function', name, args };
    if (this.found.unknownFunction) return call;
    if (!Object.hasOwn(FUNCTION_ARITY, name)) {
      this.note('unknownFunction', `Invalid function name; function: ${name}`);
      return call;
    }
    if (this.found.function) return call;
    if (args.length !== FUNCTION_ARITY[name]) {
      this.note(
        'function',
        `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`,
      );
      return call;
    }
    if (name === 'if_not_exists') {
      if (args[0]!.kind !== 'path') {
        this.note('function', `Operator or function requires a document path; operator or function: ${name}`);
      }
      return call;
    }
    const allowed: AttributeType = name === 'list_append' ? 'L' : 'N';
    for (const arg of args) {
      const type = literalType(arg);
      if (type !== undefined && type !== allowed) {
        this.note(
          'function',
          `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`,
        );
        break;
      }
    }
    return call;
  }

  /** ADD takes a number or a set, DELETE a set. */
  addOrDeleteOperand(section: 'ADD' | 'DELETE', value: AttributeValue | undefined): void {
    if (value === undefined) return;
    const type = typeOf(value);
    const name = OPERAND_TYPE_NAMES[type];
    if (name !== undefined && !(section === 'ADD' && type === 'N')) {
      this.note('operand', `Incorrect operand type for operator or function; operator: ${section}, operand type: ${name}`);
    }
  }

  firstError(): string | undefined {
    const clash = findPathClash(this.paths.filter((path): path is Path => path !== undefined));
    if (clash) this.note(clash.kind, pathClashMessage(clash));
    const f = this.found;
    return f.reserved ?? f.unknownFunction ?? f.section ?? f.name ?? f.value ?? f.overlap ?? f.conflict ?? f.operand ?? f.function;
  }
}

function toOperand(checked: Checked): UpdateOperand {
  switch (checked.kind) {
    case 'path':
      return { kind: 'path', path: checked.path! };
    case 'value':
      return { kind: 'value', value: checked.value! };
    case 'function': {
      const [first, second] = checked.args as [Checked, Checked];
      if (checked.name === 'if_not_exists') {
        return { kind: 'if_not_exists', path: (first as Extract<Checked, { kind: 'path' }>).path!, fallback: toOperand(second) };
      }
      return { kind: 'list_append', left: toOperand(first), right: toOperand(second) };
    }
  }
}

function toSetValue(checked: Checked): SetValue {
  if (checked.kind === 'function' && (checked.name === '+' || checked.name === '-')) {
    const [left, right] = checked.args as [Checked, Checked];
    return { kind: checked.name === '+' ? 'plus' : 'minus', left: toOperand(left), right: toOperand(right) };
  }
  return toOperand(checked);
}

/**
 * Resolves placeholders and checks a parsed update expression, returning
 * the compiled update or the message of the error DynamoDB reports.
 */
export function checkUpdate(sections: readonly RawSection[], substitutions: Substitutions): Update | { error: string } {
  const checker = new UpdateChecker(substitutions);
  const seen = new Set<SectionName>();
  const actions: (() => UpdateAction)[] = [];

  for (const section of sections) {
    for (const raw of section.actions) {
      const path = checker.path(raw.path);
      checker.paths.push(path);
      switch (raw.action) {
        case 'SET': {
          const value = checker.setValue(raw.value);
          actions.push(() => ({ action: 'SET', path: path!, value: toSetValue(value) }));
          break;
        }
        case 'REMOVE':
          actions.push(() => ({ action: 'REMOVE', path: path! }));
          break;
        case 'ADD':
        case 'DELETE': {
          const value = checker.value(raw.value.name);
          checker.addOrDeleteOperand(raw.action, value);
          const action = raw.action;
          actions.push(() => ({ action, path: path!, value: value! }));
          break;
        }
      }
    }
    if (seen.has(section.name)) {
      checker.found.section ??= `The "${section.name}" section can only be used once in an update expression;`;
    }
    seen.add(section.name);
  }

  const error = checker.firstError();
  if (error !== undefined) return { error };
  return { source: 'expression', actions: actions.map((build) => build()) };
}
