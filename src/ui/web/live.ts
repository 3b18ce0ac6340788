// The live feed: one EventSource for the whole page, its job and status events handed to whoever listens.
import type { JobView } from './api.js';

type Handlers = { jobs?: (jobs: JobView[]) => void; status?: (status: unknown) => void };
const listeners = new Set<Handlers>();
let source: EventSource | undefined;

export function listen(h: Handlers): () => void {
  if (!source) {
    source = new EventSource('/api/events');
    source.addEventListener('jobs', (e) => {
      const jobs = JSON.parse((e as MessageEvent<string>).data) as JobView[];
      for (const l of listeners) l.jobs?.(jobs);
    });
    source.addEventListener('status', (e) => {
      const status = JSON.parse((e as MessageEvent<string>).data) as unknown;
      for (const l of listeners) l.status?.(status);
    });
  }
  listeners.add(h);
  return () => listeners.delete(h);
}
