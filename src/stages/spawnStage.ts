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

export function spawnStage(python: string, args: string[]): { child: ChildProcess; ended: Promise<Exit> } {
  if (!exitHookInstalled) {
    process.once('exit', killLive);
    exitHookInstalled = true;
  }
  const child = spawn(python, ['-m', ...args], {
    cwd: PYTHON_DIR,
    env: {
      ...process.env,
      PYTHONPATH: [PYTHON_DIR, process.env.PYTHONPATH].filter(Boolean).join(delimiter),
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      HF_HUB_DISABLE_TELEMETRY: '1',
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
