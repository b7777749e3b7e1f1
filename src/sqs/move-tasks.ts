import type { Db } from '../store/database.js';

/** A StartMessageMoveTask run, as ListMessageMoveTasks reports it. */
export interface MoveTask {
  taskHandle: string;
  sourceArn: string;
  destinationArn?: string;
  maxPerSecond?: number;
  status: 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';
  moved: number;
  toMove?: number;
  failureReason?: string;
  startedAt: number;
}

interface Row {
  task_handle: string;
  source_arn: string;
  destination_arn: string | null;
  max_per_second: number | null;
  status: MoveTask['status'];
  moved: number;
  to_move: number | null;
  failure_reason: string | null;
  started_at: number;
}

/** sqs_move_tasks. */
export class MoveTaskStore {
  private readonly insertRow;
  private readonly bySource;
  private readonly byHandle;
  private readonly runningTasks;
  private readonly setMoved;
  private readonly setStatus;

  constructor(db: Db) {
    this.insertRow = db.prepare(
      'INSERT INTO sqs_move_tasks (task_handle, source_arn, destination_arn, max_per_second, status, moved, to_move, failure_reason, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.bySource = db.prepare('SELECT * FROM sqs_move_tasks WHERE source_arn = ? ORDER BY started_at DESC, rowid DESC LIMIT ?');
    this.byHandle = db.prepare('SELECT * FROM sqs_move_tasks WHERE task_handle = ?');
    this.runningTasks = db.prepare("SELECT * FROM sqs_move_tasks WHERE status = 'RUNNING' ORDER BY started_at");
    this.setMoved = db.prepare('UPDATE sqs_move_tasks SET moved = ? WHERE task_handle = ?');
    this.setStatus = db.prepare('UPDATE sqs_move_tasks SET status = ?, moved = ?, failure_reason = ? WHERE task_handle = ?');
  }

  running(): MoveTask[] {
    return (this.runningTasks.all() as Row[]).map(fromRow);
  }

  progress(taskHandle: string, moved: number): void {
    this.setMoved.run(moved, taskHandle);
  }

  finish(taskHandle: string, status: 'COMPLETED' | 'CANCELLED' | 'FAILED', moved: number, failureReason?: string): void {
    this.setStatus.run(status, moved, failureReason ?? null, taskHandle);
  }

  insert(task: MoveTask): void {
    this.insertRow.run(
      task.taskHandle,
      task.sourceArn,
      task.destinationArn ?? null,
      task.maxPerSecond ?? null,
      task.status,
      task.moved,
      task.toMove ?? null,
      task.failureReason ?? null,
      task.startedAt,
    );
  }

  latest(sourceArn: string, limit: number): MoveTask[] {
    return (this.bySource.all(sourceArn, limit) as Row[]).map(fromRow);
  }

  get(taskHandle: string): MoveTask | undefined {
    const row = this.byHandle.get(taskHandle) as Row | undefined;
    return row && fromRow(row);
  }
}

function fromRow(row: Row): MoveTask {
  return {
    taskHandle: row.task_handle,
    sourceArn: row.source_arn,
    ...(row.destination_arn ? { destinationArn: row.destination_arn } : {}),
    ...(row.max_per_second !== null ? { maxPerSecond: row.max_per_second } : {}),
    status: row.status,
    moved: row.moved,
    ...(row.to_move !== null ? { toMove: row.to_move } : {}),
    ...(row.failure_reason ? { failureReason: row.failure_reason } : {}),
    startedAt: row.started_at,
  };
}
