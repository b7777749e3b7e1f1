import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { invalidParameter } from './errors.js';

/**
 * The S3 bucket name that means "run this function from a local directory"
 * (an Eddy extension): `Code: {S3Bucket: "eddy-local", S3Key: "/abs/dir"}`.
 */
export const LOCAL_CODE_BUCKET = 'eddy-local';

/** The prefix of a local function's code hash (lambda_functions.code_sha256): it has no row in lambda_code. */
export const LOCAL_CODE_HASH_PREFIX = 'local-';

/** Directories the fingerprint does not look into: dependencies, caches the runtimes write themselves, version control. */
const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '__pycache__', '.git']);

/** The hash a local function is filed under: of its directory's path, so two functions of one directory share it. */
export function localCodeHash(directory: string): string {
  return LOCAL_CODE_HASH_PREFIX + createHash('sha256').update(directory).digest('hex');
}

/** Checks the S3Key of an `eddy-local` Code: an absolute path of an existing directory. */
export function checkLocalDirectory(path: string): string {
  if (!isAbsolute(path)) {
    throw invalidParameter(`Code.S3Key must be an absolute directory path when Code.S3Bucket is "${LOCAL_CODE_BUCKET}"; got ${JSON.stringify(path)}.`);
  }
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw invalidParameter(`Local code directory ${JSON.stringify(path)} (Code.S3Key with Code.S3Bucket "${LOCAL_CODE_BUCKET}") does not exist.`);
  }
  if (!isDirectory) {
    throw invalidParameter(`Local code path ${JSON.stringify(path)} (Code.S3Key with Code.S3Bucket "${LOCAL_CODE_BUCKET}") is not a directory.`);
  }
  return path;
}

export interface Fingerprint {
  /** Hex SHA-256 of every file's relative path, size and mtime; `missing` when the directory is gone. */
  hash: string;
  /** The files' total size in bytes. */
  bytes: number;
  files: number;
}

/**
 * A cheap fingerprint of a local code directory: one stat per file (no file
 * is read), skipping `node_modules`, `__pycache__`, `.git` and linked
 * directories. Any edit that
 * changes a file's size or mtime, and any file added, removed or renamed,
 * changes it.
 */
export function fingerprint(directory: string): Fingerprint {
  const hash = createHash('sha256');
  let bytes = 0;
  let files = 0;
  const walk = (dir: string, relative: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(path, rel);
        continue;
      }
      let stats;
      try {
        stats = statSync(path); // follows symbolic links
      } catch {
        continue; // removed meanwhile, or a dangling link
      }
      if (stats.isDirectory()) continue; // a linked directory is not followed (it could loop)
      hash.update(`${rel}\0${stats.size}\0${stats.mtimeMs}\n`);
      bytes += stats.size;
      files++;
    }
  };
  try {
    walk(directory, '');
  } catch {
    return { hash: 'missing', bytes: 0, files: 0 };
  }
  return { hash: hash.digest('hex'), bytes, files };
}
