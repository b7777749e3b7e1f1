import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { Db } from '../store/database.js';
import type { StoredEventInvokeConfig } from './event-invoke-config.js';

/**
 * What Eddy keeps of a function's `$LATEST`: the FunctionConfiguration members
 * that are settings (as AWS spells them), without the ones computed on read
 * (FunctionArn, Version, State, LastUpdateStatus).
 */
export type StoredConfiguration = Omit<FunctionConfiguration, 'FunctionArn' | 'Version' | 'State' | 'LastUpdateStatus' | 'Runtime'> & {
  FunctionName: string;
  Runtime: string;
  Role: string;
  Timeout: number;
  MemorySize: number;
  CodeSize: number;
  CodeSha256: string;
  LastModified: string;
  RevisionId: string;
  /** Eddy's extension: the local directory the function runs from (Code S3Bucket `eddy-local`), instead of a package. */
  LocalDirectory?: string;
};

export interface StoredFunction {
  account: string;
  region: string;
  name: string;
  configuration: StoredConfiguration;
  /**
   * The deployment package's SHA-256 in hex: its row in lambda_code and its
   * unpacked directory; `local-<hex>` (no row) for a function run from a local directory.
   */
  codeHash: string;
  tags: Record<string, string>;
  reservedConcurrency: number | null;
}

interface FunctionRow {
  account: string;
  region: string;
  name: string;
  configuration: string;
  code_sha256: string;
  tags: string;
  reserved_concurrency: number | null;
}

const fromRow = (row: FunctionRow): StoredFunction => ({
  account: row.account,
  region: row.region,
  name: row.name,
  configuration: JSON.parse(row.configuration) as StoredConfiguration,
  codeHash: row.code_sha256,
  tags: JSON.parse(row.tags) as Record<string, string>,
  reservedConcurrency: row.reserved_concurrency,
});

/**
 * Functions and their deployment packages in SQLite (lambda_functions,
 * lambda_code). Every change is one transaction; a package no function uses
 * any more is deleted in the transaction that let it go.
 */
export class FunctionStore {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      get: db.prepare<[string, string, string], FunctionRow>('SELECT * FROM lambda_functions WHERE account = ? AND region = ? AND name = ?'),
      list: db.prepare<[string, string, string, number], FunctionRow>(
        'SELECT * FROM lambda_functions WHERE account = ? AND region = ? AND name > ? ORDER BY name LIMIT ?',
      ),
      insert: db.prepare(
        'INSERT INTO lambda_functions (account, region, name, configuration, code_sha256, tags, reserved_concurrency) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      update: db.prepare('UPDATE lambda_functions SET configuration = ?, code_sha256 = ?, tags = ? WHERE account = ? AND region = ? AND name = ?'),
      getEventInvokeConfig: db.prepare<[string, string, string], { event_invoke_config: string | null }>(
        'SELECT event_invoke_config FROM lambda_functions WHERE account = ? AND region = ? AND name = ?',
      ),
      setEventInvokeConfig: db.prepare('UPDATE lambda_functions SET event_invoke_config = ? WHERE account = ? AND region = ? AND name = ?'),
      setConcurrency: db.prepare('UPDATE lambda_functions SET reserved_concurrency = ? WHERE account = ? AND region = ? AND name = ?'),
      reservedTotal: db.prepare<[string, string, string], { total: number | null }>(
        'SELECT SUM(reserved_concurrency) AS total FROM lambda_functions WHERE account = ? AND region = ? AND name <> ?',
      ),
      delete: db.prepare('DELETE FROM lambda_functions WHERE account = ? AND region = ? AND name = ?'),
      codeUsers: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM lambda_functions WHERE code_sha256 = ?'),
      putCode: db.prepare('INSERT OR IGNORE INTO lambda_code (sha256, zip) VALUES (?, ?)'),
      getCode: db.prepare<[string], { zip: Buffer }>('SELECT zip FROM lambda_code WHERE sha256 = ?'),
      deleteCode: db.prepare('DELETE FROM lambda_code WHERE sha256 = ?'),
    };
  }

  get(account: string, region: string, name: string): StoredFunction | undefined {
    const row = this.statements.get.get(account, region, name);
    return row ? fromRow(row) : undefined;
  }

  /** Functions of one account and region in name order, after `afterName`. */
  list(account: string, region: string, afterName: string, limit: number): StoredFunction[] {
    return this.statements.list.all(account, region, afterName, limit).map(fromRow);
  }

  /** Creates a function with its package (none for a local directory); false when the name is taken. */
  create(fn: StoredFunction, zip: Buffer | undefined): boolean {
    return this.db.transaction(() => {
      if (this.statements.get.get(fn.account, fn.region, fn.name)) return false;
      if (zip) this.statements.putCode.run(fn.codeHash, zip);
      this.statements.insert.run(fn.account, fn.region, fn.name, JSON.stringify(fn.configuration), fn.codeHash, JSON.stringify(fn.tags), fn.reservedConcurrency);
      return true;
    })();
  }

  /** Replaces a function's configuration, tags and (with `zip`) package. */
  update(fn: StoredFunction, zip?: Buffer): void {
    this.db.transaction(() => {
      const before = this.statements.get.get(fn.account, fn.region, fn.name);
      if (zip) this.statements.putCode.run(fn.codeHash, zip);
      this.statements.update.run(JSON.stringify(fn.configuration), fn.codeHash, JSON.stringify(fn.tags), fn.account, fn.region, fn.name);
      if (before && before.code_sha256 !== fn.codeHash) this.releaseCode(before.code_sha256);
    })();
  }

  setReservedConcurrency(account: string, region: string, name: string, value: number | null): void {
    this.statements.setConcurrency.run(value, account, region, name);
  }

  /** The function's asynchronous invocation configuration, if it has one. */
  eventInvokeConfig(account: string, region: string, name: string): StoredEventInvokeConfig | undefined {
    const text = this.statements.getEventInvokeConfig.get(account, region, name)?.event_invoke_config;
    return text ? (JSON.parse(text) as StoredEventInvokeConfig) : undefined;
  }

  /** Replaces (or with null removes) the function's asynchronous invocation configuration. */
  setEventInvokeConfig(account: string, region: string, name: string, config: StoredEventInvokeConfig | null): void {
    this.statements.setEventInvokeConfig.run(config === null ? null : JSON.stringify(config), account, region, name);
  }

  /** Reserved concurrency of every other function of the account and region. */
  reservedByOthers(account: string, region: string, name: string): number {
    return this.statements.reservedTotal.get(account, region, name)?.total ?? 0;
  }

  delete(account: string, region: string, name: string): void {
    this.db.transaction(() => {
      const before = this.statements.get.get(account, region, name);
      if (!before) return;
      this.statements.delete.run(account, region, name);
      this.releaseCode(before.code_sha256);
    })();
  }

  code(hash: string): Buffer | undefined {
    return this.statements.getCode.get(hash)?.zip;
  }

  private releaseCode(hash: string): void {
    if ((this.statements.codeUsers.get(hash)?.n ?? 0) === 0) this.statements.deleteCode.run(hash);
  }
}
