// The live feed: one stream of server-sent events for the whole page (read with fetch, which can send the session's
// Bearer header where EventSource cannot), its job and status events handed to whoever listens; it reconnects after
// two seconds when the daemon goes away, and stops when the session has ended.
import { signedFetch, type JobView } from './api.js';

type Handlers = { jobs?: (jobs: JobView[]) => void; status?: (status: unknown) => void };
const listeners = new Set<Handlers>();
let started = false;

export function listen(h: Handlers): () => void {
  if (!started) {
    started = true;
    void follow();
  }
  listeners.add(h);
  return () => listeners.delete(h);
}

async function follow(): Promise<void> {
  for (;;) {
    try {
      const res = await signedFetch('/api/events', { cache: 'no-store' });
      if (res.status === 401) return;
      if (res.ok && res.body) await read(res.body);
    } catch {
      /* the daemon went away: try again */
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** Hand each event of the stream (blocks separated by a blank line) to the listeners, until the stream ends. */
async function read(body: ReadableStream<Uint8Array>): Promise<void> {
  const reader = body.getReader();
  const text = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += text.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      dispatch(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
    }
  }
}

function dispatch(block: string): void {
  let type = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (!data.length) return;
  const payload = JSON.parse(data.join('\n')) as unknown;
  for (const l of listeners) {
    if (type === 'jobs') l.jobs?.(payload as JobView[]);
    else if (type === 'status') l.status?.(payload);
  }
}
