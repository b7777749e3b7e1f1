import { createHash } from 'node:crypto';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { AwsError, validationError } from '../../edge/errors.js';
import type { RequestContext } from '../../edge/request-context.js';
import { checkZip } from '../code-directory.js';
import type { LambdaDeps } from '../deps.js';
import { functionAlreadyExists, invalidParameter, notSupported } from '../errors.js';
import { parseFunctionRef } from '../function-name.js';
import { LOCAL_CODE_BUCKET, checkLocalDirectory, fingerprint, localCodeHash } from '../local-code.js';
import type { StoredConfiguration, StoredFunction } from '../function-store.js';
import {
  applySettings,
  checkDeadLetterConfig,
  checkEnvironment,
  checkRuntime,
  checkTags,
  defaultConfiguration,
  functionConfiguration,
  lambdaTimestamp,
  newRevisionId,
  refuseUnsupportedSettings,
  type SettingsInput,
} from '../functions.js';

/** A zip uploaded directly (not through S3) may be this large. */
export const MAX_ZIPPED_BYTES = 52_428_800;

/** Code members as they arrive: ZipFile is base64 in the JSON body. */
export interface CodeInput {
  ZipFile?: string;
  S3Bucket?: string;
  S3Key?: string;
  S3ObjectVersion?: string;
  ImageUri?: string;
  SourceKMSKeyArn?: string;
}

export interface CreateFunctionInput extends SettingsInput {
  FunctionName: string;
  Role: string;
  Code: CodeInput;
  Publish?: boolean;
  PackageType?: string;
  Tags?: Record<string, string>;
  CodeSigningConfigArn?: string;
  PublishTo?: string;
  TenancyConfig?: unknown;
}

const NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';

/**
 * The code a request carries, checked: a zip that unpacks, within Lambda's
 * size limits, or (Eddy's extension) a local directory named by
 * `S3Bucket: "eddy-local", S3Key: "/abs/dir"`. Any other S3 bucket is refused.
 */
export function codeFromInput(code: CodeInput): CodeSource {
  if (code.ImageUri !== undefined) notSupportedCode('ImageUri');
  if (code.SourceKMSKeyArn !== undefined) notSupportedCode('SourceKMSKeyArn');
  if (code.S3Bucket !== undefined || code.S3Key !== undefined || code.S3ObjectVersion !== undefined) {
    if (code.S3Bucket !== LOCAL_CODE_BUCKET) {
      throw notSupported(
        `code from S3 bucket ${JSON.stringify(code.S3Bucket ?? '')} (give Code.ZipFile, or S3Bucket "${LOCAL_CODE_BUCKET}" with S3Key an absolute local directory)`,
      );
    }
    if (code.ZipFile !== undefined) throw invalidParameter('Please provide only one source for function code: Code.ZipFile or Code.S3Bucket/S3Key.');
    if (code.S3ObjectVersion !== undefined) notSupportedCode(`S3ObjectVersion with S3Bucket "${LOCAL_CODE_BUCKET}"`);
    if (code.S3Key === undefined) throw invalidParameter(`Code.S3Key must name an absolute directory path when Code.S3Bucket is "${LOCAL_CODE_BUCKET}".`);
    const directory = checkLocalDirectory(code.S3Key);
    const print = fingerprint(directory);
    return {
      codeHash: localCodeHash(directory),
      CodeSize: print.bytes,
      CodeSha256: createHash('sha256').update(print.hash).digest('base64'),
      LocalDirectory: directory,
    };
  }
  if (code.ZipFile === undefined) throw invalidParameter('Please provide a source for function code.');
  const zip = Buffer.from(code.ZipFile, 'base64');
  if (zip.length > MAX_ZIPPED_BYTES) {
    throw new AwsError('RequestEntityTooLargeException', `Zipped size must be smaller than ${MAX_ZIPPED_BYTES} bytes`, 413, undefined, 'Message');
  }
  checkZip(zip);
  const hash = hashZip(zip);
  return { zip, codeHash: hash.hex, CodeSize: zip.length, CodeSha256: hash.base64 };
}

/** A function's code, ready to store: a package (`zip`) or a local directory. */
export interface CodeSource {
  zip?: Buffer;
  /** Hex SHA-256 of the zip, or `local-<hex>` for a local directory. */
  codeHash: string;
  /** The zip's size, or the directory's files' total size (without node_modules). */
  CodeSize: number;
  /** Base64 SHA-256 of the zip, or of the directory's fingerprint when it was deployed. */
  CodeSha256: string;
  LocalDirectory?: string;
}

/** Puts a code source's members into a configuration (dropping a previous local directory). */
export function applyCode(configuration: StoredConfiguration, code: CodeSource): void {
  configuration.CodeSize = code.CodeSize;
  configuration.CodeSha256 = code.CodeSha256;
  if (code.LocalDirectory !== undefined) configuration.LocalDirectory = code.LocalDirectory;
  else delete configuration.LocalDirectory;
}

function notSupportedCode(member: string): never {
  throw notSupported(`code from ${member} (give Code.ZipFile)`);
}

/** CodeSha256 (base64, as Lambda reports it) and the hex hash Eddy files the package under. */
export function hashZip(zip: Buffer): { base64: string; hex: string } {
  const digest = createHash('sha256').update(zip).digest();
  return { base64: digest.toString('base64'), hex: digest.toString('hex') };
}

export function CreateFunction(input: CreateFunctionInput, ctx: RequestContext, deps: LambdaDeps): FunctionConfiguration {
  const ref = parseFunctionRef(input.FunctionName, ctx);
  if (ref.qualifier !== undefined) {
    throw validationError(
      `1 validation error detected: Value '${input.FunctionName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${NAME_PATTERN}`,
    );
  }
  if (ref.name.length > 64) {
    throw invalidParameter(
      `1 validation error detected: Value '${ref.name}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
  }
  if (input.PackageType === 'Image') throw notSupported('PackageType Image (container images)');
  if (input.Publish) throw notSupported('Publish: true (published function versions)');
  if (input.PublishTo !== undefined) throw notSupported('PublishTo');
  if (input.CodeSigningConfigArn !== undefined) throw notSupported('CodeSigningConfigArn');
  if (input.TenancyConfig !== undefined) throw notSupported('TenancyConfig');
  refuseUnsupportedSettings(input);
  checkDeadLetterConfig(input.DeadLetterConfig);
  const runtime = input.Runtime;
  if (!runtime || (!input.Handler && !runtime.startsWith('provided'))) {
    throw invalidParameter('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
  }
  checkRuntime(runtime);
  if (input.Environment?.Variables) checkEnvironment(input.Environment.Variables);
  checkTags(input.Tags);
  const code = codeFromInput(input.Code);

  const configuration = defaultConfiguration(ref.name, ref.region, runtime, input.Role);
  applySettings(configuration, input);
  applyCode(configuration, code);
  configuration.LastModified = lambdaTimestamp(deps.clock.now());
  configuration.RevisionId = newRevisionId();
  const fn: StoredFunction = {
    account: ref.account,
    region: ref.region,
    name: ref.name,
    configuration,
    codeHash: code.codeHash,
    tags: { ...(input.Tags ?? {}) },
    reservedConcurrency: null,
  };
  if (!deps.store.create(fn, code.zip)) throw functionAlreadyExists(ref.name);
  deps.invoker.functionChanged(fn.account, fn.region, fn.name);
  return functionConfiguration(fn, 'create');
}
