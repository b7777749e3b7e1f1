import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Starts an Eddy in a process of its own (`node <args>`: the CLI, or a script
 * around createEddy) for tests that kill it, and resolves with its endpoint
 * once it prints one.
 */
export function spawnEddy(args: string[], stderr: 'inherit' | 'pipe' = 'pipe'): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', stderr] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /(http:\/\/[\d.]+:\d+)/.exec(out);
      if (match) resolve({ child, endpoint: match[1]! });
    });
    child.once('exit', (code) => reject(new Error(`eddy exited with ${code} before it was ready: ${out}`)));
  });
}

/** Resolves once `child` has exited (at once if it already has). */
export const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
