/**
 * The recent log lines of each function, for `eddy logs`: every invocation's
 * log (START ... REPORT) split into lines, the last `maxLines` kept per
 * function in memory (a restart starts empty, like a fresh log stream).
 * Followers get each new invocation's lines as it finishes.
 */
export class FunctionLogs {
  private readonly lines = new Map<string, string[]>();
  private readonly followers = new Map<string, Set<(lines: string[]) => void>>();
  private readonly closers = new Set<() => void>();

  constructor(private readonly maxLines = 1000) {}

  /** Adds a finished invocation's log to its function's lines. */
  add(functionArn: string, log: string): void {
    const added = log.split('\n');
    if (added.at(-1) === '') added.pop();
    let kept = this.lines.get(functionArn);
    if (!kept) this.lines.set(functionArn, (kept = []));
    kept.push(...added);
    if (kept.length > this.maxLines) kept.splice(0, kept.length - this.maxLines);
    for (const follower of this.followers.get(functionArn) ?? []) follower(added);
  }

  /** The lines kept for a function, oldest first. */
  recent(functionArn: string): string[] {
    return [...(this.lines.get(functionArn) ?? [])];
  }

  /** Calls `onLines` with each later invocation's lines until the returned function is called or Eddy closes (`onClose`). */
  follow(functionArn: string, onLines: (lines: string[]) => void, onClose: () => void): () => void {
    let set = this.followers.get(functionArn);
    if (!set) this.followers.set(functionArn, (set = new Set()));
    set.add(onLines);
    this.closers.add(onClose);
    return () => {
      set.delete(onLines);
      this.closers.delete(onClose);
    };
  }

  /** Ends every follower (Eddy is stopping). */
  close(): void {
    for (const close of [...this.closers]) close();
    this.closers.clear();
    this.followers.clear();
  }
}
