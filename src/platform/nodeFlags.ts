// The node flags the daemon runs with, stated once: the agent templates, `npm start` (checked by a unit test), the
// benchmarks and bin/dropscribe.js (which starts `dropscribe start` again with them when they are missing) take
// them from here. This file imports nothing, so the bin can load it before anything else.

/** --max-semi-space-size=2: a small young generation; --lite-mode: no optimizing compiler (the daemon's own work is
 * light; the heavy work runs in Python stages), which keeps about 13 MB of code and compiler memory out of an idle
 * daemon (BENCHMARKS.md, idle). */
export const DAEMON_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--lite-mode'];

/** Set in the environment of a daemon started again with its flags, so that it never starts again a second time. */
export const NODE_FLAGS_ENV = 'DROPSCRIBE_NODE_FLAGS_SET';

/** The flag's name, `--max-semi-space-size` of `--max-semi-space-size=2`. */
function flagName(flag: string): string {
  return flag.split('=')[0]!;
}

/** The daemon's flags that `execArgv` does not set. A flag the user gave with another value (say
 * `--max-semi-space-size=16`) counts as set: their choice is kept. */
export function missingDaemonFlags(execArgv: readonly string[]): string[] {
  const given = new Set(execArgv.map(flagName));
  return DAEMON_NODE_FLAGS.filter((f) => !given.has(flagName(f)));
}

type Execve = (file: string, args: string[], env: NodeJS.ProcessEnv) => never;

/** Replace this process with the same command under the daemon's flags when some are missing (`dropscribe start`
 * from a shell, npx or the global bin, where nothing passes them). execve keeps the pid, the open stdio, the signals
 * that reach it and the exit code a shell, launchd or systemd sees: they all belong to one process still. Returns
 * (doing nothing) when the flags are set, when this process was already started again (NODE_FLAGS_ENV), or when this
 * Node cannot (process.execve came in Node 22.15 and 23.11; none on Windows): a second Node holding the first would
 * cost more memory than the flags save, so the daemon then runs without them. */
export function restartWithDaemonFlags(): void {
  const again = process.env[NODE_FLAGS_ENV];
  delete process.env[NODE_FLAGS_ENV]; // nothing the daemon starts inherits it
  const missing = missingDaemonFlags(process.execArgv);
  const execve = (process as { execve?: Execve }).execve;
  if (missing.length === 0 || again || typeof execve !== 'function') return;
  const args = [process.execPath, ...process.execArgv, ...missing, ...process.argv.slice(1)];
  try {
    execve.call(process, process.execPath, args, { ...process.env, [NODE_FLAGS_ENV]: '1' });
  } catch {
    /* the kernel refused (a Node binary that moved, say): run in this process without the flags */
  }
}
