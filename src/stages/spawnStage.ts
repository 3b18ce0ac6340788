// Start a stage process: `python -m <module> <stage>` in its own process group with a fourth pipe (fd 3) for
// events; `ended` says how it ended. Plain node:child_process, so an idle daemon loads no process library; live
// stage groups are killed when the daemon exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { delimiter } from 'node:path';
import { PYTHON_DIR } from '../platform/paths.js';
import type { Exit } from './stageEnd.js';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** The daemon is exiting: take every stage still running with it (their whole process groups). */
function killLive(): void {
  for (const child of live) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/** `env` is added to the stage's environment (a secret such as the server's API key, kept out of the request); its
 * PYTHONPATH, if it has one, stands in for the daemon's own after the stages' folder. */
export function spawnStage(
  python: string,
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; ended: Promise<Exit> } {
  if (!exitHookInstalled) {
    process.once('exit', killLive);
    exitHookInstalled = true;
  }
  const child = spawn(python, ['-m', ...args], {
    cwd: PYTHON_DIR,
    env: {
      ...process.env,
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      HF_HUB_DISABLE_TELEMETRY: '1',
      ...env,
      PYTHONPATH: [PYTHON_DIR, env.PYTHONPATH ?? process.env.PYTHONPATH].filter(Boolean).join(delimiter),
    },
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    detached: true, // its own process group, so a kill takes its children too
  });
  live.add(child);
  const ended = new Promise<Exit>((resolve) => {
    child.once('error', (err) => {
      // Could not start (or, rarely, could not be signalled): an exit with a start error unless it did run.
      if (child.pid === undefined) resolve({ exitCode: undefined, signal: undefined, startError: err.message });
    });
    child.once('close', (code, signal) => resolve({ exitCode: code ?? undefined, signal: signal ?? undefined }));
  }).finally(() => live.delete(child));
  return { child, ended };
}
