import type { Db } from '../../store/database.js';
import type { EventSourceMapping } from './mapping.js';

interface MappingRow {
  seq: number;
  mapping: string;
}

/** Which mappings ListEventSourceMappings asks for; both filters are exact ARNs. */
export interface MappingFilter {
  account: string;
  region: string;
  eventSourceArn?: string;
  functionArn?: string;
}

/** One page of mappings in creation order, and the position to continue after. */
export interface MappingPage {
  mappings: EventSourceMapping[];
  /** The creation sequence of the last mapping returned, when more follow. */
  next?: number;
}

/**
 * Event source mappings in SQLite (lambda_event_source_mappings): each row is
 * the whole validated EventSourceMapping as JSON, with the columns lookups
 * filter on beside it. `seq` numbers mappings in creation order, which is the
 * order ListEventSourceMappings pages through. The engine keeps its
 * checkpoints elsewhere; this is only the configuration and the last
 * processing result.
 */
export class MappingStore {
  private readonly statements;
  /** LastProcessingResult as last written, so an engine reporting "OK" per batch costs no write. */
  private readonly results = new Map<string, string>();

  constructor(db: Db) {
    this.statements = {
      get: db.prepare<[string], MappingRow>('SELECT seq, mapping FROM lambda_event_source_mappings WHERE uuid = ?'),
      all: db.prepare<[], MappingRow>('SELECT seq, mapping FROM lambda_event_source_mappings ORDER BY seq'),
      page: db.prepare<[{ account: string; region: string; source: string | null; fn: string | null; after: number; limit: number }], MappingRow>(
        `SELECT seq, mapping FROM lambda_event_source_mappings
          WHERE account = @account AND region = @region AND (@source IS NULL OR event_source_arn = @source) AND (@fn IS NULL OR function_arn = @fn) AND seq > @after
          ORDER BY seq LIMIT @limit`,
      ),
      duplicate: db.prepare<[string, string], MappingRow>(
        'SELECT seq, mapping FROM lambda_event_source_mappings WHERE event_source_arn = ? AND function_arn = ? ORDER BY seq LIMIT 1',
      ),
      insert: db.prepare(
        'INSERT INTO lambda_event_source_mappings (uuid, account, region, event_source_arn, function_arn, mapping) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      update: db.prepare('UPDATE lambda_event_source_mappings SET function_arn = ?, mapping = ? WHERE uuid = ?'),
      setResult: db.prepare("UPDATE lambda_event_source_mappings SET mapping = json_set(mapping, '$.lastProcessingResult', ?) WHERE uuid = ?"),
      delete: db.prepare('DELETE FROM lambda_event_source_mappings WHERE uuid = ?'),
      tags: db.prepare<[string], { tags: string }>('SELECT tags FROM lambda_event_source_mappings WHERE uuid = ?'),
      setTags: db.prepare<[string, string]>('UPDATE lambda_event_source_mappings SET tags = ? WHERE uuid = ?'),
    };
  }

  get(uuid: string): EventSourceMapping | undefined {
    const row = this.statements.get.get(uuid);
    return row ? parse(row) : undefined;
  }

  /** Every mapping of every account and region, in creation order: what the engine resumes at start. */
  list(): EventSourceMapping[] {
    return this.statements.all.all().map(parse);
  }

  /** Up to `limit` mappings matching `filter`, created after position `after` (0 for the first page). */
  page(filter: MappingFilter, after: number, limit: number): MappingPage {
    const rows = this.statements.page.all({
      account: filter.account,
      region: filter.region,
      source: filter.eventSourceArn ?? null,
      fn: filter.functionArn ?? null,
      after,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return { mappings: page.map(parse), ...(rows.length > limit ? { next: page[page.length - 1]!.seq } : {}) };
  }

  /** The mapping from `eventSourceArn` to `functionArn`, if one exists (Lambda allows one per pair). */
  findPair(eventSourceArn: string, functionArn: string): EventSourceMapping | undefined {
    const row = this.statements.duplicate.get(eventSourceArn, functionArn);
    return row ? parse(row) : undefined;
  }

  insert(mapping: EventSourceMapping): void {
    this.statements.insert.run(mapping.uuid, mapping.account, mapping.region, mapping.eventSourceArn, mapping.functionArn, JSON.stringify(mapping));
    this.results.set(mapping.uuid, mapping.lastProcessingResult);
  }

  /** Replaces a mapping's configuration (its UUID, source, account and region never change). */
  update(mapping: EventSourceMapping): void {
    this.statements.update.run(mapping.functionArn, JSON.stringify(mapping), mapping.uuid);
    this.results.set(mapping.uuid, mapping.lastProcessingResult);
  }

  /**
   * What the engine reports after a batch ("OK", "PROBLEM: ..."): written only
   * when it differs from the last one, and ignored for a mapping deleted meanwhile.
   */
  setLastProcessingResult(uuid: string, text: string): void {
    if (this.results.get(uuid) === text) return;
    const changed = this.statements.setResult.run(text, uuid).changes > 0;
    if (changed) this.results.set(uuid, text);
  }

  /** The mapping's tags, or undefined when there is no such mapping. */
  tags(uuid: string): Record<string, string> | undefined {
    const row = this.statements.tags.get(uuid);
    return row ? (JSON.parse(row.tags) as Record<string, string>) : undefined;
  }

  setTags(uuid: string, tags: Record<string, string>): void {
    this.statements.setTags.run(JSON.stringify(tags), uuid);
  }

  delete(uuid: string): boolean {
    this.results.delete(uuid);
    return this.statements.delete.run(uuid).changes > 0;
  }
}

function parse(row: MappingRow): EventSourceMapping {
  return JSON.parse(row.mapping) as EventSourceMapping;
}
