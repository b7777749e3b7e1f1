import type { Db } from '../../store/database.js';

export interface ShardCheckpoint {
  /** Every record of the shard up to this internal sequence is processed, filtered or given up on. */
  seq: number;
  /** A closed shard read to its end: its children may start. */
  finished: boolean;
  /** Under ParallelizationFactor: the last sequence each key lane finished (lanes run ahead of `seq`). */
  lanes?: LanePositions;
}

export interface LanePositions {
  factor: number;
  positions: number[];
}

export interface WindowState {
  /** Epoch ms where the open tumbling window starts. */
  start: number;
  /** The state the function returned last, as JSON text. */
  state: string;
}

/**
 * Durable progress of event source mappings (lambda_esm_checkpoints,
 * lambda_esm_starts, lambda_esm_windows). A batch's checkpoint and its window
 * state are written in one transaction, so a restart resumes exactly after
 * the last batch that finished.
 */
export class CheckpointStore {
  private readonly statements;
  /** The checkpoint and the window state in one transaction. */
  private readonly saveWithWindow;

  constructor(private readonly db: Db) {
    this.statements = {
      all: db.prepare<[string], { shard_id: string; seq: number; finished: number; lane_positions: string | null }>(
        'SELECT shard_id, seq, finished, lane_positions FROM lambda_esm_checkpoints WHERE mapping_uuid = ?',
      ),
      save: db.prepare<[string, string, number, number, string | null]>(
        'INSERT INTO lambda_esm_checkpoints (mapping_uuid, shard_id, seq, finished, lane_positions) VALUES (?, ?, ?, ?, ?) ON CONFLICT (mapping_uuid, shard_id) DO UPDATE SET seq = excluded.seq, finished = excluded.finished, lane_positions = excluded.lane_positions',
      ),
      start: db.prepare<[string], { start_after: number }>('SELECT start_after FROM lambda_esm_starts WHERE mapping_uuid = ?'),
      setStart: db.prepare<[string, number]>('INSERT OR IGNORE INTO lambda_esm_starts (mapping_uuid, start_after) VALUES (?, ?)'),
      windows: db.prepare<[string, string], { lane: number; window_start: number; state: string }>('SELECT lane, window_start, state FROM lambda_esm_windows WHERE mapping_uuid = ? AND shard_id = ?'),
      saveWindow: db.prepare<[string, string, number, number, string]>(
        'INSERT INTO lambda_esm_windows (mapping_uuid, shard_id, lane, window_start, state) VALUES (?, ?, ?, ?, ?) ON CONFLICT (mapping_uuid, shard_id, lane) DO UPDATE SET window_start = excluded.window_start, state = excluded.state',
      ),
      deleteWindow: db.prepare<[string, string, number]>('DELETE FROM lambda_esm_windows WHERE mapping_uuid = ? AND shard_id = ? AND lane = ?'),
      forget: [
        db.prepare<[string]>('DELETE FROM lambda_esm_checkpoints WHERE mapping_uuid = ?'),
        db.prepare<[string]>('DELETE FROM lambda_esm_starts WHERE mapping_uuid = ?'),
        db.prepare<[string]>('DELETE FROM lambda_esm_windows WHERE mapping_uuid = ?'),
      ],
    };
    this.saveWithWindow = db.transaction(
      (uuid: string, shardId: string, seq: number, finished: number, lanes: string | null, lane: number, value: WindowState | null) => {
        this.statements.save.run(uuid, shardId, seq, finished, lanes);
        if (value) this.statements.saveWindow.run(uuid, shardId, lane, value.start, value.state);
        else this.statements.deleteWindow.run(uuid, shardId, lane);
      },
    );
  }

  all(uuid: string): Map<string, ShardCheckpoint> {
    return new Map(
      this.statements.all.all(uuid).map((row) => [
        row.shard_id,
        { seq: row.seq, finished: row.finished === 1, ...(row.lane_positions ? { lanes: JSON.parse(row.lane_positions) as LanePositions } : {}) },
      ]),
    );
  }

  /** Saves a shard's checkpoint and, when given, its key lane's window state (undefined: leave it, null: the window closed). */
  save(uuid: string, shardId: string, checkpoint: ShardCheckpoint, window?: { lane: number; value: WindowState | null }): void {
    const lanes = checkpoint.lanes ? JSON.stringify(checkpoint.lanes) : null;
    if (!window) {
      this.statements.save.run(uuid, shardId, checkpoint.seq, checkpoint.finished ? 1 : 0, lanes);
      return;
    }
    this.saveWithWindow(uuid, shardId, checkpoint.seq, checkpoint.finished ? 1 : 0, lanes, window.lane, window.value);
  }



  /** Where a LATEST mapping starts; fixed the first time it is asked, so a restart does not move it. */
  startAfter(uuid: string, current: number): number {
    this.statements.setStart.run(uuid, current);
    return this.statements.start.get(uuid)!.start_after;
  }

  windows(uuid: string, shardId: string): Map<number, WindowState> {
    return new Map(this.statements.windows.all(uuid, shardId).map((row) => [row.lane, { start: row.window_start, state: row.state }]));
  }

  forget(uuid: string): void {
    this.db.transaction(() => {
      for (const statement of this.statements.forget) statement.run(uuid);
    })();
  }
}
