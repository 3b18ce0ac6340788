// The node flags the daemon runs with, stated once: the agent templates, `npm start` (checked by a unit test) and
// the benchmarks take them from here.

/** --max-semi-space-size=2: a small young generation; --lite-mode: no optimizing compiler (the daemon's own work is
 * light; the heavy work runs in Python stages), which keeps about 13 MB of code and compiler memory out of an idle
 * daemon (BENCHMARKS.md, idle). */
export const DAEMON_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--lite-mode'];
