// The queue's first page as the daemon put it into index.html (routes/page.ts): taken once, by the queue screen of
// the first render (main.tsx takes what is left after it); later screens fetch a fresh one.
import type { JobView } from './api.js';

export interface JobsPage {
  jobs: JobView[];
  counts: Record<string, number>;
  nextBefore: number | null;
}

let embedded: JobsPage | null | undefined;

export function takeFirstPage(): JobsPage | null {
  if (embedded === undefined) {
    const el = document.getElementById('first-page');
    try {
      embedded = el ? (JSON.parse(el.textContent ?? '') as JobsPage) : null;
    } catch {
      embedded = null;
    }
    el?.remove();
  }
  const page = embedded;
  embedded = null;
  return page;
}
