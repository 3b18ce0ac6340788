// Downloads from the page: a job's transcript in any format (GET /api/jobs/:id/download/:format) and "export all" of a
// search result or a folder as one zip (GET /api/export). A plain link cannot carry the session's Bearer header, so a
// download is fetched with it and handed to the browser as an object URL, under the name the daemon gives.
import { useState } from 'preact/hooks';
import { FORMATS, type FormatName } from '../../core/formats.js';
import { signedFetch } from './api.js';

const LABELS: Record<FormatName, string> = {
  srt: 'SRT subtitles',
  vtt: 'WebVTT subtitles',
  txt: 'Plain text',
  json: 'JSON (words and times)',
  docx: 'Word document (DOCX)',
  md: 'Markdown',
  csv: 'CSV table',
  ass: 'ASS subtitles',
  lrc: 'LRC lyrics',
  fcpxml: 'Final Cut Pro captions (FCPXML)',
};

/** Fetch `path` with the session and save it; a refusal throws the daemon's plain-words error. */
export async function download(path: string): Promise<void> {
  const res = await signedFetch(path);
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new Error(body.error ?? `${res.status} ${res.statusText}`);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName(res.headers.get('Content-Disposition')) ?? 'transcript';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The file name of a Content-Disposition header: the UTF-8 one (filename*=), else the plain one. */
function fileName(disposition: string | null): string | undefined {
  const utf8 = disposition && /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (utf8) {
    try {
      return decodeURIComponent(utf8[1]!);
    } catch {
      /* a malformed name: the plain one below */
    }
  }
  return (disposition && /filename="([^"]*)"/.exec(disposition)?.[1]) || undefined;
}

/** A menu of every format; choosing one downloads `path(format)`. */
export function DownloadMenu({ label, path }: { label: string; path: (format: FormatName) => string }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const get = async (format: FormatName) => {
    setBusy(true);
    setProblem('');
    try {
      await download(path(format));
    } catch (e) {
      setProblem((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="downloads">
      <summary>{label}</summary>
      <ul>
        {FORMATS.map((f) => (
          <li>
            <button type="button" data-format={f} disabled={busy} onClick={() => void get(f)}>
              {LABELS[f]}
            </button>
          </li>
        ))}
      </ul>
      {problem && <p class="problem">{problem}</p>}
    </details>
  );
}
