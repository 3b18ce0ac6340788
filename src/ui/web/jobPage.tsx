// A job: the recording playing beside its transcript. The word being spoken is highlighted, a click on a word seeks
// there, doubtful words are marked, a double click edits a word, and segments and speaker names can be corrected. The
// recording plays through a signed address that expires: when it fails, a fresh one takes its place where it was.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, clock, postJson, type Correction, type JobView, type Transcript } from './api.js';
import { DownloadMenu } from './downloads.js';
import { listen } from './live.js';
import { Speakers, speakerName, speakersLabelled } from './speakers.js';

const DOUBTFUL = 0.5; // a word the recognizer gave less probability than this is marked

interface Detail {
  job: JobView;
  transcript: Transcript | null;
  correctedAt: number | null;
  /** The recording's signed address (routes/media.ts), valid for a while. */
  mediaUrl: string;
}

export function JobPage({ id, at }: { id: number; at: number }) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [problem, setProblem] = useState('');
  const media = useRef<HTMLMediaElement>(null);
  const src = useMediaSource(id, media);

  // Each load and each saved correction takes the next number; a load's answer is shown only while its number is
  // the latest, so a load that was in flight when a correction was saved cannot put the uncorrected words back.
  const latest = useRef(0);
  const load = () => {
    const mine = ++latest.current;
    return api<Detail>(`/api/jobs/${id}`).then(
      (d) => {
        if (mine !== latest.current) return;
        setDetail(d);
        src.offer(d.mediaUrl);
      },
      (e: Error) => setProblem(e.message),
    );
  };
  useEffect(() => {
    void load();
    return listen({ jobs: (jobs) => jobs.some((j) => j.id === id) && void load() });
  }, [id]);

  // Seek to ?t= once the recording can seek.
  useEffect(() => {
    const m = media.current;
    if (!m || !Number.isFinite(at)) return;
    const seek = () => (m.currentTime = at);
    if (m.readyState >= 1) seek();
    else m.addEventListener('loadedmetadata', seek, { once: true });
  }, [detail !== null, at]);

  useHighlight(media);

  const save = async (c: Correction) => {
    try {
      const r = await postJson<{ transcript: Transcript }>(`/api/jobs/${id}/corrections`, c);
      latest.current++;
      setDetail((d) => d && { ...d, transcript: r.transcript, correctedAt: Date.now() });
      setProblem('');
    } catch (e) {
      setProblem((e as Error).message);
    }
  };

  if (!detail) return <p>{problem || 'Loading…'}</p>;
  const { job, transcript } = detail;
  return (
    <section class="job">
      <h1>{job.name}</h1>
      <p class="meta">
        #{job.id} · {job.state}
        {job.audioSec ? ` · ${clock(job.audioSec)}` : ''}
        {transcript ? ` · ${transcript.language}` : ''}
        {detail.correctedAt ? ` · corrected ${new Date(detail.correctedAt).toLocaleString()}` : ''}
      </p>
      {job.state === 'done' && <Exports job={job} />}
      {problem && <p class="problem">{problem}</p>}
      {job.error && <pre class="why">{job.error}</pre>}
      {job.notes.length > 0 && (
        <ul class="notes">
          {job.notes.map((n) => (
            <li>{n}</li>
          ))}
        </ul>
      )}
      <div class="player">
        {job.media === 'video' ? (
          <video ref={media as never} src={src.url} onError={src.renew} controls preload="metadata" />
        ) : (
          <audio ref={media as never} src={src.url} onError={src.renew} controls preload="metadata" />
        )}
      </div>
      {transcript?.speakers && speakersLabelled(transcript) && <Speakers speakers={transcript.speakers} save={save} />}
      {transcript ? (
        <Words transcript={transcript} media={media} save={save} />
      ) : (
        <p class="empty">No transcript yet.</p>
      )}
    </section>
  );
}

/** A finished job's downloads: this job in any format, and every job of its folder as one zip. */
function Exports({ job }: { job: JobView }) {
  const cut = job.relPath.lastIndexOf('/');
  const folder = cut > 0 ? job.relPath.slice(0, cut) : '.';
  return (
    <div class="exports">
      <DownloadMenu label="Download" path={(f) => `/api/jobs/${job.id}/download/${f}`} />
      <DownloadMenu
        label={folder === '.' ? 'Export all in the inbox' : `Export all in ${folder}`}
        path={(f) => `/api/export?format=${f}&folder=${encodeURIComponent(folder)}`}
      />
    </div>
  );
}

/** The recording's address: the first one a load offers, kept while it plays (a new address would reload it); when
 * it fails (expired), a fresh one, at most every 10 s, resuming where it was. */
function useMediaSource(id: number, media: { current: HTMLMediaElement | null }) {
  const [url, setUrl] = useState<string | undefined>(undefined);
  const renewedAt = useRef(0);
  useEffect(() => setUrl(undefined), [id]);
  const offer = (fresh: string) => setUrl((now) => now ?? fresh);
  const renew = () => {
    const m = media.current;
    if (!m || Date.now() - renewedAt.current < 10_000) return;
    renewedAt.current = Date.now();
    const at = m.currentTime;
    const playing = !m.paused;
    void api<Detail>(`/api/jobs/${id}`).then(
      (d) => {
        m.addEventListener(
          'loadedmetadata',
          () => {
            m.currentTime = at;
            if (playing) void m.play();
          },
          { once: true },
        );
        setUrl(d.mediaUrl);
      },
      () => undefined,
    );
  };
  return { url, offer, renew };
}

/** While the recording plays, mark the word whose time span holds the playing position. */
function useHighlight(media: { current: HTMLMediaElement | null }) {
  useEffect(() => {
    let frame = 0;
    let lit: HTMLElement | undefined;
    let list: HTMLElement[] = [];
    const tick = () => {
      const m = media.current;
      if (!m) return;
      const t = m.currentTime;
      let lo = 0;
      let hi = list.length - 1;
      let found: HTMLElement | undefined;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const w = list[mid]!;
        if (Number(w.dataset.start) > t) hi = mid - 1;
        else {
          if (t < Number(w.dataset.end)) found = w;
          lo = mid + 1;
        }
      }
      if (found !== lit) {
        lit?.classList.remove('now');
        found?.classList.add('now');
        lit = found;
      }
      if (!m.paused) frame = requestAnimationFrame(tick);
    };
    const start = () => {
      list = [...document.querySelectorAll<HTMLElement>('.transcript .w')];
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(tick);
    };
    const m = media.current;
    m?.addEventListener('play', start);
    m?.addEventListener('seeked', start);
    return () => {
      cancelAnimationFrame(frame);
      m?.removeEventListener('play', start);
      m?.removeEventListener('seeked', start);
    };
  });
}

interface WordsProps {
  transcript: Transcript;
  media: { current: HTMLMediaElement | null };
  save: (c: Correction) => Promise<void>;
}

function Words({ transcript, media, save }: WordsProps) {
  const [editing, setEditing] = useState<{ segment: number; word?: number } | null>(null);
  const seek = (t: number) => {
    if (media.current) media.current.currentTime = t;
  };
  const done = (c: Correction | null) => {
    setEditing(null);
    if (c) void save(c);
  };
  return (
    <div class="transcript">
      {transcript.segments.map((s, si) => (
        <p class={`segment${s.weak ? ' weak' : ''}`} data-segment={si}>
          <span class="at" onClick={() => seek(s.start)}>
            {clock(s.start)}
          </span>
          {speakersLabelled(transcript) && s.speaker && (
            <span class="speaker">{speakerName(transcript, s.speaker)}</span>
          )}
          {s.language && s.language !== transcript.language && (
            <span class="lang" lang={s.language} title={`this passage is in ${s.language}`}>
              {s.language}
            </span>
          )}
          {editing?.segment === si && editing.word === undefined ? (
            <Editor
              value={s.text.trim()}
              multiline
              done={(text) => done(text === null ? null : { kind: 'segment', segment: si, text })}
            />
          ) : (
            s.words.map((w, wi) =>
              editing?.segment === si && editing.word === wi ? (
                <Editor
                  value={w.word.trim()}
                  done={(text) => done(text === null ? null : { kind: 'word', segment: si, word: wi, text })}
                />
              ) : (
                <span
                  class={`w${w.probability !== null && w.probability < DOUBTFUL ? ' doubtful' : ''}`}
                  data-start={w.start}
                  data-end={w.end}
                  title={w.probability !== null ? `${clock(w.start)} · ${Math.round(w.probability * 100)}%` : ''}
                  onClick={() => seek(w.start)}
                  onDblClick={() => setEditing({ segment: si, word: wi })}
                >
                  {w.word}
                </span>
              ),
            )
          )}
          {s.words.length === 0 && editing?.segment !== si && <span>{s.text}</span>}
          <button class="edit" title="Edit this passage" onClick={() => setEditing({ segment: si })}>
            ✎
          </button>
        </p>
      ))}
    </div>
  );
}

function Editor({ value, multiline, done }: { value: string; multiline?: boolean; done: (v: string | null) => void }) {
  const [text, setText] = useState(value);
  const key = (e: KeyboardEvent) => {
    if (e.key === 'Escape') done(null);
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      done(text.trim() && text.trim() !== value ? text.trim() : null);
    }
  };
  const props = {
    class: 'editor',
    value: text,
    autoFocus: true,
    onInput: (e: Event) => setText((e.target as HTMLInputElement).value),
    onKeyDown: key,
    onBlur: () => done(null),
  };
  return multiline ? <textarea rows={3} {...props} /> : <input {...props} size={Math.max(4, text.length + 1)} />;
}
