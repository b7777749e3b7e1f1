import { existsSync, mkdirSync, mkdtempSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, sep } from 'node:path';
import { unzipSync } from 'fflate';
import { invalidParameter } from './errors.js';

/** Lambda's quota on a function's unpacked deployment package. */
export const MAX_UNZIPPED_BYTES = 262_144_000;

/**
 * Checks that `zip` is a zip archive a function can be unpacked from, without
 * inflating it, and returns the size it unpacks to.
 */
export function checkZip(zip: Uint8Array): number {
  let unzipped = 0;
  try {
    unzipSync(zip, {
      filter: (file) => {
        unzipped += file.originalSize;
        return false;
      },
    });
  } catch {
    throw invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');
  }
  if (unzipped > MAX_UNZIPPED_BYTES) throw invalidParameter(`Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
  return unzipped;
}

/**
 * Where functions' code is unpacked: `<root>/code/<sha256 hex>/`, one
 * directory per distinct package (shared by functions with the same bytes),
 * written once and reused across restarts. `<root>/node_modules` links the AWS
 * SDK packages Eddy itself has (`@aws-sdk/*`, `@smithy/*`), so a handler
 * imports them without bundling, as Lambda's Node runtimes provide the SDK v3.
 * A package that bundles its own copies still gets those (they are closer).
 *
 * On disk the root is `<dataDir>/lambda`; in memory it is a temporary
 * directory removed by `close()`.
 */
export class CodeDirectory {
  readonly root: string;
  private readonly temporary: boolean;

  constructor(dataDir: string | undefined) {
    this.temporary = dataDir === undefined;
    this.root = dataDir === undefined ? mkdtempSync(join(tmpdir(), 'eddy-lambda-')) : join(dataDir, 'lambda');
    mkdirSync(join(this.root, 'code'), { recursive: true });
    linkSdk(join(this.root, 'node_modules'));
  }

  /** The directory `hash`'s package is unpacked in, unpacking it first if needed. */
  ensure(hash: string, zip: () => Buffer | undefined): string {
    const target = join(this.root, 'code', hash);
    if (existsSync(target)) return target;
    const bytes = zip();
    if (!bytes) throw new Error(`deployment package ${hash} is missing from the database`);
    const staging = mkdtempSync(join(this.root, 'code', `.unpacking-${hash.slice(0, 12)}-`));
    try {
      unpack(bytes, staging);
      try {
        renameSync(staging, target);
      } catch (error) {
        // Another unpacking of the same bytes won the race: use its directory.
        if (!existsSync(target)) throw error;
        rmSync(staging, { recursive: true, force: true });
      }
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw error;
    }
    return target;
  }

  close(): void {
    if (this.temporary) rmSync(this.root, { recursive: true, force: true });
  }
}

function unpack(zip: Uint8Array, into: string): void {
  const files = unzipSync(zip);
  for (const [name, data] of Object.entries(files)) {
    const relative = normalize(name.replaceAll('\\', '/'));
    if (relative.startsWith('..') || relative.startsWith(sep) || /^[a-zA-Z]:/.test(relative)) {
      throw invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');
    }
    const path = join(into, relative);
    if (name.endsWith('/')) {
      mkdirSync(path, { recursive: true });
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  }
}

/** Links the scopes of the AWS SDK packages Eddy has into `nodeModules`. */
function linkSdk(nodeModules: string): void {
  mkdirSync(nodeModules, { recursive: true });
  const require = createRequire(import.meta.url);
  for (const [scope, probe] of [
    ['@aws-sdk', '@aws-sdk/client-dynamodb/package.json'],
    ['@smithy', '@smithy/smithy-client/package.json'],
  ] as const) {
    const link = join(nodeModules, scope);
    let scopeDir: string;
    try {
      const from = scope === '@smithy' ? createRequire(require.resolve('@aws-sdk/client-dynamodb')) : require;
      scopeDir = dirname(dirname(from.resolve(probe)));
    } catch {
      continue;
    }
    if (!statSync(scopeDir).isDirectory()) continue;
    try {
      if (readlinkSync(link) === scopeDir) continue;
      rmSync(link, { force: true });
    } catch {
      // No link yet.
    }
    try {
      symlinkSync(scopeDir, link, process.platform === 'win32' ? 'junction' : 'dir');
    } catch {
      // A concurrent start linked it first; either link serves.
    }
  }
}
