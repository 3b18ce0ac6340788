// What `dropscribe status` prints: the job table (JSON or text), counts, and the daemon's live memory view.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JOB_STATES } from '../core/jobStates.js';
import type { Job } from '../store/jobRow.js';
import type { JobTable } from '../store/jobTable.js';
import { waitingView } from '../store/waitingJobs.js';
import type { Refusal, RefusalStore } from '../store/refusals.js';
import { lockHolder } from '../daemon/lock.js';

export function jobView(j: Job) {
  return {
    id: j.id,
    input: j.input,
    state: j.state,
    stage: j.stage,
    error: j.error,
    outputs: j.outputs,
    progress: Math.round(j.progress * 100) / 100,
    etaSec: j.etaSec,
    errorKind: j.errorKind,
    degraded: j.degraded,
    notes: j.notes,
    audioSec: j.audioSec,
    attempts: j.attempts,
    duplicateOf: j.duplicateOf,
    waiting: waitingView(j),
  };
}

export function refusalView(r: Refusal) {
  return { path: r.path, inbox: r.inbox, reason: r.reason, report: r.report, at: r.at };
}

export function readLiveStatus(dataDir: string): Record<string, unknown> | undefined {
  const file = join(dataDir, 'status.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The stores `status` reads: the jobs table (counts, the newest jobs) and the refusals. */
export interface StatusStores {
  jobs: JobTable;
  refusals: RefusalStore;
}

/** What `status` reports, read once: the daemon, the counts, the newest jobs and refusals. */
function readStatus({ jobs, refusals }: StatusStores, dataDir: string, limit: number) {
  const holder = lockHolder(dataDir);
  return {
    daemon: {
      running: holder !== undefined,
      pid: holder?.pid ?? null,
      startedAt: holder?.startedAt ?? null,
      live: readLiveStatus(dataDir) ?? null,
    },
    counts: jobs.countByState(),
    jobs: jobs.list(limit),
    /** Inputs refused at intake (never read, so not jobs), newest first. */
    refused: refusals.list(limit).map(refusalView),
  };
}

export function statusJson(stores: StatusStores, dataDir: string, limit: number) {
  const s = readStatus(stores, dataDir, limit);
  return { ...s, jobs: s.jobs.map(jobView) };
}

/** The header lines that say which config and which job database `status` reads. */
export function whereLines(configDescription: string, dbFile: string): string[] {
  return [`config: ${configDescription}`, `database: ${dbFile}`];
}

/** For status lines: "duplicate of #12" (and whether it still waits for it). */
export function duplicateLabel(job: Job): string | undefined {
  if (job.duplicateOf === null) return undefined;
  return job.state === 'queued'
    ? `duplicate of #${job.duplicateOf}, waiting for it`
    : `duplicate of #${job.duplicateOf}`;
}

const mb = (b: number) => `${Math.round(b / 2 ** 20)} MB`;

function formatEta(sec: number | null): string {
  if (sec == null) return '';
  return sec >= 90 ? `~${Math.round(sec / 60)} min left` : `~${Math.round(sec)} s left`;
}

export function statusText(stores: StatusStores, dataDir: string, limit: number): string {
  const s = readStatus(stores, dataDir, limit);
  const out: string[] = [];
  out.push(
    !s.daemon.running
      ? 'daemon: not running'
      : s.daemon.pid
        ? `daemon: running (pid ${s.daemon.pid})`
        : 'daemon: running',
  );
  const live = s.daemon.live as {
    memory?: {
      budgetBytes: number;
      reservedBytes: number;
      running: { label: string; bytes: number }[];
      waiting: { label: string; bytes: number }[];
    };
    intakePaused?: boolean;
  } | null;
  if (s.daemon.running && live?.memory) {
    const m = live.memory;
    out.push(`memory: ${mb(m.reservedBytes)} reserved of ${mb(m.budgetBytes)} budget`);
    for (const r of m.running) out.push(`  running  ${r.label} (${mb(r.bytes)})`);
    for (const w of m.waiting) out.push(`  waiting  ${w.label} (${mb(w.bytes)})`);
    if (live.intakePaused) out.push('intake: PAUSED (the disk is full or low on space)');
  }
  const c = s.counts;
  out.push(`jobs: ${JOB_STATES.map((state) => `${c[state]} ${state}`).join(', ')}`, '');
  for (const j of s.jobs) {
    const pct =
      j.state === 'running'
        ? ` ${Math.round(j.progress * 100)}% ${j.stage ?? ''} ${formatEta(j.etaSec)}`.trimEnd()
        : '';
    const dup = duplicateLabel(j);
    const waiting = waitingView(j);
    const state = waiting ? `waiting for ${waiting.for}` : j.state;
    out.push(`#${j.id}  ${state}${pct}  ${j.relPath}${dup ? `  (${dup})` : ''}`);
    if ((j.state === 'failed' || j.state === 'canceled') && j.error) out.push(`      ${j.error.split('\n')[0]}`);
    if (waiting) out.push(`      ${waiting.reason.split('\n')[0]}`);
    if (j.degraded.length) out.push(`      degraded: ${j.degraded.join('; ')}`);
    if (j.notes.length) out.push(`      note: ${j.notes.join('; ')}`);
    if (j.state === 'done') for (const o of j.outputs) out.push(`      -> ${o}`);
  }
  if (s.refused.length) out.push('', `refused (never read): ${s.refused.length}`);
  for (const r of s.refused) {
    out.push(`  ${r.path}`, `      ${r.reason}`);
    if (r.report) out.push(`      -> ${r.report}`);
  }
  return out.join('\n');
}
