// Search across every transcript: each hit with its file, time and snippet; a hit opens the job at that moment.
import { useEffect, useState } from 'preact/hooks';
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../../core/searchHit.js';
import { api, clock, type SearchHit } from './api.js';
import { DownloadMenu } from './downloads.js';

export function SearchPage({ q }: { q: string }) {
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [problem, setProblem] = useState('');
  useEffect(() => {
    setHits(null);
    api<{ hits: SearchHit[] }>(`/api/search?q=${encodeURIComponent(q)}`).then(
      (r) => setHits(r.hits),
      (e: Error) => setProblem(e.message),
    );
  }, [q]);
  if (problem) return <p class="problem">{problem}</p>;
  if (!hits) return <p>Searching…</p>;
  if (!hits.length) return <p class="empty">No transcript has “{q}”.</p>;
  const jobs = new Set(hits.map((h) => h.jobId)).size;
  return (
    <>
      <DownloadMenu
        label={`Export all ${jobs} ${jobs === 1 ? 'recording' : 'recordings'} found`}
        path={(f) => `/api/export?format=${f}&q=${encodeURIComponent(q)}`}
      />
      <ol class="hits">
        {hits.map((h) => (
          <li>
            <a href={`#/job/${h.jobId}?t=${h.start}`}>
              <span class="file">{h.relPath}</span> <span class="at">{clock(h.start)}</span>
            </a>
            <p class="snippet">{highlight(h.snippet)}</p>
          </li>
        ))}
      </ol>
    </>
  );
}

/** The snippet with its matched words (between SNIPPET_OPEN and SNIPPET_CLOSE) in <mark>. */
function highlight(snippet: string) {
  return snippet.split(SNIPPET_OPEN).map((part, i) => {
    if (i === 0) return part;
    const [hit = '', rest = ''] = part.split(SNIPPET_CLOSE);
    return (
      <>
        <mark>{hit}</mark>
        {rest}
      </>
    );
  });
}
