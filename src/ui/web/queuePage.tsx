// The queue: every job with state, stage, progress and ETA (live), failures with their reason and fix, retry and
// cancel, uploads by dropping files onto the page, refused inputs, the memory budget and, in team mode, the hosts.
import { useEffect, useState } from 'preact/hooks';
import { isActive, isFinished } from '../../core/jobStates.js';
import { api, clock, postJson, type JobView } from './api.js';
import { takeFirstPage, type JobsPage } from './firstPage.js';
import { listen } from './live.js';
import { Uploads } from './uploads.js';

interface Memory {
  budgetBytes: number;
  reservedBytes: number;
  running: { label: string; bytes: number }[];
  waiting: { label: string; bytes: number }[];
}
interface Status {
  live: { memory?: Memory; intakePaused?: boolean; pendingFiles?: number } | null;
  counts: Record<string, number>;
  refused: { path: string; reason: string; report: string | null; at: number }[];
  hosts: { host: string; running: number; capacity: number; seenSecAgo: number }[] | null;
}

const mb = (b: number) => `${Math.round(b / 2 ** 20)} MB`;

export function QueuePage() {
  // The first screen shows the page that came with index.html; null until a page is there (no "no jobs" meanwhile).
  const [first] = useState(takeFirstPage);
  const [jobs, setJobs] = useState<JobView[] | null>(first?.jobs ?? null);
  const [next, setNext] = useState<number | null>(first?.nextBefore ?? null);
  const [status, setStatus] = useState<Status | null>(null);
  const [problem, setProblem] = useState('');

  const merge = (changed: JobView[]) =>
    setJobs((old) => {
      const byId = new Map((old ?? []).map((j) => [j.id, j]));
      for (const j of changed) byId.set(j.id, j);
      return [...byId.values()].sort((a, b) => b.id - a.id);
    });

  useEffect(() => {
    if (!first)
      api<JobsPage>('/api/jobs')
        .then((r) => {
          merge(r.jobs);
          setNext(r.nextBefore);
        })
        .catch((e: Error) => setProblem(e.message));
    const refresh = () => api<Status>('/api/status').then(setStatus, () => undefined);
    void refresh();
    return listen({ jobs: merge, status: () => void refresh() });
  }, []);

  const more = () =>
    api<JobsPage>(`/api/jobs?before=${next}`).then((r) => {
      merge(r.jobs);
      setNext(r.nextBefore);
    });
  const act = (id: number, what: 'retry' | 'cancel') =>
    postJson(`/api/jobs/${id}/${what}`).catch((e: Error) => setProblem(e.message));

  const memory = status?.live?.memory;
  return (
    <section class="queue">
      <Uploads />
      {problem && <p class="problem">{problem}</p>}
      <div class="summary">
        {status &&
          Object.entries(status.counts)
            .filter(([, n]) => n > 0)
            .map(([state, n]) => (
              <span class={`count ${state}`}>
                {n} {state}
              </span>
            ))}
        {memory && (
          <span class="memory" title={memory.running.map((r) => `${r.label}: ${mb(r.bytes)}`).join('\n')}>
            memory: {mb(memory.reservedBytes)} of {mb(memory.budgetBytes)} reserved
            {memory.waiting.length > 0 && `, ${memory.waiting.length} stage(s) waiting`}
          </span>
        )}
        {status?.live?.intakePaused && <span class="problem">intake paused: disk space is low</span>}
      </div>
      {status?.hosts && (
        <ul class="hosts">
          {status.hosts.map((h) => (
            <li>
              {h.host}: {h.running}/{h.capacity} jobs, seen {h.seenSecAgo} s ago
            </li>
          ))}
        </ul>
      )}
      <table class="jobs">
        <thead>
          <tr>
            <th class="c-id">#</th>
            <th>recording</th>
            <th class="c-state">state</th>
            <th class="c-progress">progress</th>
            <th class="c-actions"></th>
          </tr>
        </thead>
        <tbody>
          {jobs?.map((j) => (
            <JobRow job={j} act={act} />
          ))}
        </tbody>
      </table>
      {jobs?.length === 0 && !problem && (
        <p class="empty">No jobs yet: drop recordings onto this page or into the inbox.</p>
      )}
      {next !== null && (
        <button class="more" onClick={() => void more()}>
          Show older jobs
        </button>
      )}
      {status && status.refused.length > 0 && (
        <>
          <h2>Refused inputs</h2>
          <ul class="refused">
            {status.refused.map((r) => (
              <li>
                <code>{r.path}</code>: {r.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function JobRow({ job: j, act }: { job: JobView; act: (id: number, what: 'retry' | 'cancel') => void }) {
  const pct = Math.round(j.progress * 100);
  return (
    <>
      <tr class={`job ${j.state}`} data-job={j.id}>
        <td>{j.id}</td>
        <td>
          <a href={`#/job/${j.id}`}>{j.name}</a>
          {j.duplicateOf !== null && <small> duplicate of #{j.duplicateOf}</small>}
        </td>
        <td class="state">
          {j.state}
          {j.stage && j.state === 'running' ? ` · ${j.stage}` : ''}
        </td>
        <td>
          <progress max={100} value={pct} aria-label={`progress of ${j.name}`} data-progress={pct} />
          <span class="pct">{pct}%</span>
          {j.etaSec !== null && j.state === 'running' && <span class="eta"> ETA {clock(j.etaSec)}</span>}
        </td>
        <td class="actions">
          {isActive(j.state) && <button onClick={() => act(j.id, 'cancel')}>Cancel</button>}
          {isFinished(j.state) && <button onClick={() => act(j.id, 'retry')}>Retry</button>}
        </td>
      </tr>
      {j.state === 'failed' && j.error && (
        <tr class="why">
          <td></td>
          <td colSpan={4}>
            <pre>{j.error}</pre>
          </td>
        </tr>
      )}
      {j.waiting && (
        <tr class="why">
          <td></td>
          <td colSpan={4}>
            <pre>{j.waiting.reason}</pre>
          </td>
        </tr>
      )}
    </>
  );
}
