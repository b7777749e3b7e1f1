import { readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * A project file (`eddy start --config eddy.config.yaml`) declares the
 * resources an application needs. Each entry is the input of the AWS call that
 * creates the resource, written as in the AWS API reference (PascalCase), plus
 * a few conveniences that AWS cannot offer: a function's `Code` may be a local
 * directory, a mapping names its source by `Table` or `Queue`, and ARNs of
 * queues, topics and functions may be given by name. Everything else is checked
 * by the same API calls a user would make, so the errors are AWS's.
 */
export interface ProjectFile {
  /** Absolute path of the file; relative code directories resolve against its directory. */
  path: string;
  tables: TableDeclaration[];
  queues: QueueDeclaration[];
  topics: TopicDeclaration[];
  functions: FunctionDeclaration[];
  eventSourceMappings: MappingDeclaration[];
}

type Fields = Record<string, unknown>;

/** CreateTable's input, plus `TimeToLiveSpecification` (UpdateTimeToLive's) when TTL is wanted. */
export interface TableDeclaration extends Fields {
  TableName: string;
}

/** CreateQueue's input; `Attributes` values may be numbers, and `RedrivePolicy` an object whose `deadLetterTargetArn` may be a queue name. */
export interface QueueDeclaration extends Fields {
  QueueName: string;
}

/** CreateTopic's input, plus `Subscriptions` (Subscribe's input without TopicArn; `Endpoint` may be a queue or function name, `FilterPolicy` an object). */
export interface TopicDeclaration extends Fields {
  Name: string;
  Subscriptions: SubscriptionDeclaration[];
}

export interface SubscriptionDeclaration extends Fields {
  Protocol: string;
  Endpoint: string;
}

/** CreateFunction's input; `Code` may be a directory, `ReservedConcurrentExecutions` sets PutFunctionConcurrency. */
export interface FunctionDeclaration extends Fields {
  FunctionName: string;
}

/**
 * CreateEventSourceMapping's input; the source is `EventSourceArn`, or `Table`
 * (that table's current stream) or `Queue` (a queue name). An on-failure
 * `Destination` may be a queue or topic name.
 */
export interface MappingDeclaration extends Fields {
  FunctionName: string;
}

/** A project file that cannot be read or is not shaped as documented; the message names the place. */
export class ProjectFileError extends Error {}

const SECTIONS = ['tables', 'queues', 'topics', 'functions', 'eventSourceMappings'] as const;

/** Reads and checks a project file (`.yaml`, `.yml` or `.json`). */
export function readProjectFile(path: string): ProjectFile {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new ProjectFileError(`cannot read the project file ${path}: ${(error as Error).message}`);
  }
  return parseProjectFile(text, absolute);
}

/** Parses project-file text; the format follows the extension of `path` (JSON for `.json`, YAML otherwise). */
export function parseProjectFile(text: string, path: string): ProjectFile {
  let document: unknown;
  try {
    document = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ProjectFileError(`${path} is not valid ${extname(path).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
  if (document === null || document === undefined) document = {};
  if (!isObject(document)) throw new ProjectFileError(`${path}: the top level must be a mapping of ${SECTIONS.join(', ')}`);
  for (const key of Object.keys(document)) {
    if (!(SECTIONS as readonly string[]).includes(key)) {
      throw new ProjectFileError(`${path}: unknown section "${key}" (expected ${SECTIONS.join(', ')})`);
    }
  }
  const baseDir = dirname(path);
  const tables = entries(document, 'tables', path, 'TableName');
  const queues = entries(document, 'queues', path, 'QueueName');
  const topics = entries(document, 'topics', path, 'Name').map((topic, i) => ({
    ...topic,
    Subscriptions: subscriptions(topic.Subscriptions, `${path}: topics[${i}] (${topic.Name}).Subscriptions`),
  }));
  const functions = entries(document, 'functions', path, 'FunctionName').map((fn) =>
    typeof fn.Code === 'string' ? { ...fn, Code: isAbsolute(fn.Code) ? fn.Code : resolve(baseDir, fn.Code) } : fn,
  );
  const eventSourceMappings = entries(document, 'eventSourceMappings', path, 'FunctionName');
  eventSourceMappings.forEach((mapping, i) => {
    const sources = ['EventSourceArn', 'Table', 'Queue'].filter((key) => mapping[key] !== undefined);
    if (sources.length !== 1 || typeof mapping[sources[0]!] !== 'string') {
      throw new ProjectFileError(`${path}: eventSourceMappings[${i}] (${mapping.FunctionName}) needs exactly one of EventSourceArn, Table or Queue, as a string`);
    }
  });
  return {
    path,
    tables: tables as TableDeclaration[],
    queues: queues as QueueDeclaration[],
    topics: topics as TopicDeclaration[],
    functions: functions as FunctionDeclaration[],
    eventSourceMappings: eventSourceMappings as MappingDeclaration[],
  };
}

/** One section: a list of mappings, each with its name field as a non-empty string. */
function entries(document: Fields, section: string, path: string, nameField: string): (Fields & Record<string, string>)[] {
  const list = document[section];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new ProjectFileError(`${path}: "${section}" must be a list`);
  return list.map((entry: unknown, i) => {
    if (!isObject(entry)) throw new ProjectFileError(`${path}: ${section}[${i}] must be a mapping`);
    const name = entry[nameField];
    if (typeof name !== 'string' || name === '') throw new ProjectFileError(`${path}: ${section}[${i}] needs ${nameField} (a string)`);
    return entry as Fields & Record<string, string>;
  });
}

function subscriptions(list: unknown, where: string): SubscriptionDeclaration[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new ProjectFileError(`${where} must be a list`);
  return list.map((entry: unknown, i) => {
    if (!isObject(entry) || typeof entry.Protocol !== 'string' || typeof entry.Endpoint !== 'string') {
      throw new ProjectFileError(`${where}[${i}] needs Protocol and Endpoint (strings)`);
    }
    return entry as SubscriptionDeclaration;
  });
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
