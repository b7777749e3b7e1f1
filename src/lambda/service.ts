import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OperationHandler } from '../edge/json-protocol.js';
import type { RequestContext } from '../edge/request-context.js';
import type { RestJsonService } from '../edge/rest-json-protocol.js';
import type { LambdaDeps } from './deps.js';
import { LAMBDA_MODEL } from './model.js';
import { CreateFunction } from './operations/CreateFunction.js';
import { CreateEventSourceMapping } from './operations/CreateEventSourceMapping.js';
import { DeleteEventSourceMapping } from './operations/DeleteEventSourceMapping.js';
import { DeleteFunction } from './operations/DeleteFunction.js';
import { DeleteFunctionEventInvokeConfig } from './operations/DeleteFunctionEventInvokeConfig.js';
import { DeleteFunctionConcurrency, GetFunctionConcurrency, PutFunctionConcurrency } from './operations/FunctionConcurrency.js';
import { GetEventSourceMapping } from './operations/GetEventSourceMapping.js';
import { GetFunction } from './operations/GetFunction.js';
import { GetFunctionCodeSigningConfig } from './operations/GetFunctionCodeSigningConfig.js';
import { GetFunctionConfiguration } from './operations/GetFunctionConfiguration.js';
import { GetFunctionEventInvokeConfig } from './operations/GetFunctionEventInvokeConfig.js';
import { Invoke } from './operations/Invoke.js';
import { ListEventSourceMappings } from './operations/ListEventSourceMappings.js';
import { ListFunctionEventInvokeConfigs } from './operations/ListFunctionEventInvokeConfigs.js';
import { ListFunctions } from './operations/ListFunctions.js';
import { ListVersionsByFunction } from './operations/ListVersionsByFunction.js';
import { PutFunctionEventInvokeConfig } from './operations/PutFunctionEventInvokeConfig.js';
import { ListTags, TagResource, UntagResource } from './operations/Tags.js';
import { UpdateEventSourceMapping } from './operations/UpdateEventSourceMapping.js';
import { UpdateFunctionCode } from './operations/UpdateFunctionCode.js';
import { UpdateFunctionConfiguration } from './operations/UpdateFunctionConfiguration.js';
import { UpdateFunctionEventInvokeConfig } from './operations/UpdateFunctionEventInvokeConfig.js';

/** Every Lambda operation Eddy implements; the model's others answer NotImplementedException. */
const operations = {
  CreateFunction,
  GetFunction,
  GetFunctionCodeSigningConfig,
  GetFunctionConfiguration,
  ListFunctions,
  ListVersionsByFunction,
  UpdateFunctionCode,
  UpdateFunctionConfiguration,
  DeleteFunction,
  PutFunctionConcurrency,
  GetFunctionConcurrency,
  DeleteFunctionConcurrency,
  PutFunctionEventInvokeConfig,
  UpdateFunctionEventInvokeConfig,
  GetFunctionEventInvokeConfig,
  ListFunctionEventInvokeConfigs,
  DeleteFunctionEventInvokeConfig,
  Invoke,
  ListTags,
  TagResource,
  UntagResource,
  CreateEventSourceMapping,
  GetEventSourceMapping,
  ListEventSourceMappings,
  UpdateEventSourceMapping,
  DeleteEventSourceMapping,
};

/**
 * CreateFunction and UpdateFunctionCode carry a zip of up to 50 MB as base64;
 * Lambda takes such requests up to about 70 MB.
 */
const MAX_LAMBDA_REQUEST_BYTES = 70 * 1024 * 1024;

/** `/_eddy/logs/<function>` (`?follow=1` to stream): a function's recent log lines, for `eddy logs`. */
const LOGS_PATH = /^\/_eddy\/logs\/(.+)$/;

/** `/_eddy/lambda/code/<account>/<region>/<name>.zip`: the package GetFunction's Code.Location points at. */
const CODE_PATH = /^\/_eddy\/lambda\/code\/(\d{12})\/([a-z0-9-]+)\/([^/]+)\.zip$/;

export function createLambdaService(deps: LambdaDeps): RestJsonService {
  const bound: Record<string, OperationHandler> = {};
  for (const [name, operation] of Object.entries(operations)) {
    bound[name] = (input: unknown, ctx: RequestContext) => (operation as (input: unknown, ctx: RequestContext, deps: LambdaDeps) => unknown)(input, ctx, deps);
  }
  return {
    model: LAMBDA_MODEL,
    operations: bound,
    maxRequestBytes: MAX_LAMBDA_REQUEST_BYTES,
    extraRoutes: (method: string, path: string, req: IncomingMessage, res: ServerResponse) => {
      const logs = method === 'GET' ? LOGS_PATH.exec(path) : null;
      if (logs) {
        serveLogs(deps, logs[1]!, new URL(req.url ?? '/', 'http://eddy').searchParams.get('follow'), req, res);
        return true;
      }
      const match = method === 'GET' ? CODE_PATH.exec(path) : null;
      if (!match) return false;
      const fn = deps.store.get(match[1]!, match[2]!, match[3]!);
      const zip = fn ? deps.store.code(fn.codeHash) : undefined;
      if (!zip) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('No such function code.\n');
        return true;
      }
      res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': zip.length });
      res.end(zip);
      return true;
    },
  };
}

/**
 * A function's kept log lines as text; with `follow=1` (or `true`) the
 * response stays open and each invocation's lines are written as it ends,
 * until the client goes away or Eddy stops.
 */
function serveLogs(deps: LambdaDeps, name: string, follow: string | null, req: IncomingMessage, res: ServerResponse): void {
  const arn = deps.invoker.functionArnOf(name);
  if (!arn) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`Function not found: ${name}\n`);
    return;
  }
  const recent = deps.invoker.logs.recent(arn);
  const text = (lines: string[]): string => lines.map((line) => `${line}\n`).join('');
  if (follow !== '1' && follow !== 'true') {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(text(recent));
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
  res.write(text(recent));
  const stop = deps.invoker.logs.follow(
    arn,
    (lines) => res.write(text(lines)),
    () => res.end(),
  );
  req.socket.once('close', stop);
  res.once('close', stop);
}
