// The process groups of a daemon's stages (spawned detached, each in a group of its own), read from /proc (Linux),
// to freeze and thaw them as a sleeping machine would, or to see them gone after the daemon was killed.
import { readdirSync, readFileSync } from 'node:fs';

/** pid, state, parent pid and process group of every process, from /proc/<pid>/stat. */
function processes(): { pid: number; state: string; ppid: number; pgid: number }[] {
  const out: { pid: number; state: string; ppid: number; pgid: number }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state ppid pgrp ...
      out.push({ pid: Number(name), state: fields[0]!, ppid: Number(fields[1]), pgid: Number(fields[2]) });
    } catch {
      /* it ended meanwhile */
    }
  }
  return out;
}

/** The process groups the daemon `pid` leads for its stages: children that lead a group of their own. */
export function stageGroups(pid: number): number[] {
  return processes()
    .filter((p) => p.ppid === pid && p.pgid === p.pid)
    .map((p) => p.pid);
}

/** Whether a process of any of `groups` still runs (a zombie, dead and not yet reaped, does not count). */
export function groupsAlive(groups: number[]): boolean {
  return processes().some((p) => groups.includes(p.pgid) && p.state !== 'Z');
}

/** Send `signal` to the daemon and to every stage group it has, as the kernel freezes and thaws a sleeping machine. */
export function signalDaemonAndStages(pid: number, groups: number[], signal: 'SIGSTOP' | 'SIGCONT'): void {
  const send = (target: number) => {
    try {
      process.kill(target, signal);
    } catch {
      /* gone already */
    }
  };
  if (signal === 'SIGSTOP') {
    groups.forEach((g) => send(-g));
    send(pid);
  } else {
    send(pid);
    groups.forEach((g) => send(-g));
  }
}
