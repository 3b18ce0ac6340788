// A long recording transcribed window by window (windows planned by the vad stage at the longest pauses). Each window
// is its own stage run with its own cache entry, retries and attempt limit, so a restart resumes at the first
// unfinished window; a window that keeps failing on every backend is left out and its range marked missing. A server
// (a remote backend) that failed a window after its retries is not asked again for the job's windows that are left.
import type { ArtifactsFor, AsrBackend, MissingRange, Segment, Span, Transcript, Window } from '../core/contract.js';
import { isRemote } from '../stages/backends.js';
import { StageError } from '../stages/stageError.js';

export type TranscribeArtifacts = ArtifactsFor<'transcribe'>;

export interface WindowRequest {
  window: Window;
  count: number;
  backend: AsrBackend;
  /** The language to use: the setting, or what the first window detected. */
  language: string | null;
  initialPrompt: string | null;
}

export interface WindowRunner {
  /** Run (or reuse the cached result of) one window's transcription; throws StageError when its attempts are spent. */
  run(request: WindowRequest): Promise<TranscribeArtifacts>;
  /** The transcript a window wrote. */
  read(artifacts: TranscribeArtifacts): Transcript;
  /** A backend failed for a window and the next one takes over. */
  fellBack?(fallback: Fallback): void;
}

/** A window's backend that failed with `err`, and the backend that takes over. */
export interface Fallback {
  window: Window;
  backend: AsrBackend;
  next: AsrBackend;
  err: StageError;
}

export interface WindowOptions {
  chain: AsrBackend[];
  language: string | null;
  /** Windows transcribed at the same time (threads are split between them). */
  workers: number;
  /** Hand the previous window's last words on as the prompt (runs the windows one after another). */
  prompt: boolean;
}

export interface WindowResult {
  window: Window;
  artifacts?: TranscribeArtifacts;
  backend?: AsrBackend;
  error?: StageError;
}

/** Transcribe every window; throws only when no window could be transcribed or a failure is not the window's own. */
export async function transcribeWindows(
  windows: Window[],
  options: WindowOptions,
  runner: WindowRunner,
): Promise<WindowResult[]> {
  const results: WindowResult[] = new Array(windows.length);
  const count = windows.length;
  let language = options.language;
  let prompt: string | null = null;
  const down = new Set<AsrBackend>();
  const runOne = async (i: number) => {
    results[i] = await withFallback(
      {
        window: windows[i]!,
        count,
        language,
        initialPrompt: options.prompt ? prompt : null,
      },
      upChain(options.chain, down),
      { runner, down },
    );
    const done = results[i]!.artifacts;
    if (done && options.prompt) prompt = promptFrom(runner.read(done).segments);
    if (done && language === null) language = done.language;
  };
  if (count === 0) return [];
  // One at a time, each window after the first gets its detected language (and words as prompt); in parallel, each
  // window detects the language of its own first 30 s, as a direct call on it would.
  const workers = options.prompt ? 1 : Math.max(1, Math.min(options.workers, count));
  let next = 0;
  if (workers === 1) await runOne(next++);
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < count) await runOne(next++);
    }),
  );
  const failed = results.filter((r) => r.error);
  if (failed.length === count) throw failed.at(-1)!.error!;
  return results;
}

/** One window with each backend of `chain` in turn until one transcribes it; a server that fails joins `down`. */
async function withFallback(
  request: Omit<WindowRequest, 'backend'>,
  chain: AsrBackend[],
  { runner, down }: { runner: WindowRunner; down: Set<AsrBackend> },
): Promise<WindowResult> {
  const { window } = request;
  let last: StageError | undefined;
  for (const [i, backend] of chain.entries()) {
    try {
      return { window, backend, artifacts: await runner.run({ ...request, backend }) };
    } catch (err) {
      if (!(err instanceof StageError) || err.permanentForInput || err.stopsTheJob) throw err;
      last = err;
      if (isRemote(backend)) down.add(backend);
      const next = chain[i + 1];
      if (next) runner.fellBack?.({ window, backend, next, err });
    }
  }
  return { window, error: last };
}

/** The chain without the backends that are down; all of it when none would be left (nothing else to try). */
function upChain(chain: AsrBackend[], down: Set<AsrBackend>): AsrBackend[] {
  const up = chain.filter((b) => !down.has(b));
  return up.length ? up : chain;
}

/** The last words of a window (about 40), as the next window's prompt. */
export function promptFrom(segments: Segment[], words = 40): string | null {
  const text = segments
    .map((s) => s.text.trim())
    .filter(Boolean)
    .join(' ');
  if (!text) return null;
  return text.split(/\s+/).slice(-words).join(' ');
}

/**
 * The windows' transcripts joined in order, as the text of one transcript file, with the ranges of failed windows
 * marked missing. One window is parsed at a time, so the whole recording's words are never held as objects.
 */
export function joinWindows(
  results: WindowResult[],
  read: (a: TranscribeArtifacts) => Transcript,
): { text: string; segmentCount: number; missing: MissingRange[] } {
  const segments: string[] = [];
  const suppressed: string[] = [];
  const missing: MissingRange[] = [];
  let segmentCount = 0;
  for (const r of results) {
    if (!r.artifacts) {
      missing.push({ start: r.window.start, end: r.window.end, reason: `${r.error!.kind}: ${r.error!.message}` });
      continue;
    }
    const t = read(r.artifacts);
    segmentCount += t.segments.length;
    if (t.segments.length) segments.push(JSON.stringify(t.segments).slice(1, -1));
    if (t.suppressed?.length) suppressed.push(JSON.stringify(t.suppressed).slice(1, -1));
  }
  const text = `{"segments":[${segments.join(',')}],"suppressed":[${suppressed.join(',')}],"missing":${JSON.stringify(missing)}}`;
  return { text, segmentCount, missing };
}

/** The speech spans of one window (whole spans: windows are cut between spans). */
export function spansOf(speech: Span[], window: Window): Span[] {
  return speech.slice(window.firstSpan, window.firstSpan + window.spanCount);
}

/**
 * Parallel windows and CPU threads each: at most one worker per core, the cores shared out; one worker keeps the
 * configured thread count (0: CTranslate2 chooses). One process per core wastes less CPU than one process with all
 * threads (measured: BENCHMARKS.md).
 */
export function splitThreads(
  workers: number,
  cores: number,
  cpuThreads: number,
): { workers: number; cpuThreads: number } {
  const n = Math.max(1, Math.min(workers, cores));
  return n === 1 ? { workers: 1, cpuThreads } : { workers: n, cpuThreads: Math.max(1, Math.floor(cores / n)) };
}
