// Runs one stage as its own Python process: request on stdin, NDJSON events on fd 3, heartbeat watchdog,
// process-group kill, and the exit turned into a result or a classified StageError.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { delimiter } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { ArtifactsByStage, StageEvent, type ArtifactsFor, type RequestFor, type StageName } from './contract.js';
import type { Logger } from './log.js';
import { PYTHON_DIR } from './paths.js';
import { describeSignal, kindFromExit, kindFromSignal, StageError, type StageErrorContext, type StageErrorKind } from './stageError.js';
import { TextTail } from './tail.js';

export interface RunStageOptions<S extends StageName> {
  python: string;
  request: RequestFor<S>;
  context: Omit<StageErrorContext, 'elapsedMs' | 'stage'>;
  stallMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
  log: Logger;
  onProgress?: (fraction: number, message?: string) => void;
  onWarning?: (message: string) => void;
  onStart?: (pid: number) => void;
  /** The Python module to run; tests point it at fixture stages. */
  module?: string;
}

export interface StageOutcome<S extends StageName> {
  artifacts: ArtifactsFor<S>;
  peakRssBytes: number;
  elapsedMs: number;
  warnings: string[];
}

/** Spawn `python -m dropscribe_stages <stage>`, watch it, and return its validated artifacts or throw StageError. */
export async function runStage<S extends StageName>(o: RunStageOptions<S>): Promise<StageOutcome<S>> {
  const stage = o.request.stage as S;
  const started = Date.now();
  const stderr = new TextTail();
  const warnings: string[] = [];
  const fail = (kind: StageErrorKind, message: string, extra: Partial<StageErrorContext> = {}) =>
    new StageError(kind, message, { ...o.context, stage, elapsedMs: Date.now() - started, stderrTail: stderr.lines(), ...extra });

  if (!existsSync(o.python)) {
    throw fail('config', `the Python environment is missing (${o.python}); run \`npm install\` in the dropscribe folder to create it`);
  }
  if (o.signal?.aborted) throw fail('canceled', 'canceled before it started');

  const child = execa(o.python, ['-m', o.module ?? 'dropscribe_stages', stage], {
    cwd: PYTHON_DIR,
    env: {
      PYTHONPATH: [PYTHON_DIR, process.env.PYTHONPATH].filter(Boolean).join(delimiter),
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      HF_HUB_DISABLE_TELEMETRY: '1',
    },
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    detached: true, // its own process group, so a kill takes its children too
    reject: false,
    buffer: false,
    cleanup: true,
  });

  let killedFor: { kind: StageErrorKind; message: string } | undefined;
  let result: { artifacts: ArtifactsFor<S>; peakRssBytes: number } | undefined;
  let errorEvent: { code: string; message: string } | undefined;
  let peakRss = 0;
  let lastEventAt = Date.now();

  const killGroup = (kind: StageErrorKind, message: string) => {
    if (killedFor) return;
    killedFor = { kind, message };
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };

  const onEvent = (line: string) => {
    if (!line.trim()) return;
    lastEventAt = Date.now();
    let parsed: ReturnType<typeof StageEvent.safeParse>;
    try {
      parsed = StageEvent.safeParse(JSON.parse(line));
    } catch {
      return killGroup('garbage', `sent a line that is not JSON: ${line.slice(0, 200)}`);
    }
    if (!parsed.success) return killGroup('garbage', `sent an event that breaks the contract: ${line.slice(0, 200)}`);
    const ev = parsed.data;
    switch (ev.event) {
      case 'started': o.onStart?.(ev.pid); break;
      case 'progress': o.onProgress?.(ev.fraction, ev.message); break;
      case 'heartbeat': peakRss = Math.max(peakRss, ev.rssBytes); break;
      case 'warning': warnings.push(ev.message); o.onWarning?.(ev.message); break;
      case 'error': errorEvent = { code: ev.code, message: ev.message }; break;
      case 'result': {
        if (result) return killGroup('garbage', 'sent more than one result');
        const artifacts = ArtifactsByStage[stage].safeParse(ev.artifacts);
        if (!artifacts.success) {
          return killGroup('garbage', `returned artifacts that break the contract (${artifacts.error.issues
            .map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}): ${JSON.stringify(ev.artifacts).slice(0, 200)}`);
        }
        result = { artifacts: artifacts.data as ArtifactsFor<S>, peakRssBytes: ev.peakRssBytes };
        peakRss = Math.max(peakRss, ev.peakRssBytes);
      }
    }
  };

  const events = child.stdio[3] as Readable | undefined;
  const eventsDone = events
    ? new Promise<void>((resolve) => {
        const rl = createInterface({ input: events, crlfDelay: Infinity });
        rl.on('line', onEvent);
        rl.on('close', resolve);
      })
    : Promise.resolve();
  child.stderr?.on('data', (d: Buffer) => stderr.push(d));
  child.stdout?.on('data', (d: Buffer) => {
    stderr.push(d);
    o.log.debug({ stage, out: d.toString().slice(0, 500) }, 'stage stdout');
  });
  child.stdin?.on('error', () => {}); // the stage may exit before reading; its exit says why
  child.stdin?.write(JSON.stringify(o.request) + '\n');

  const watchdog = setInterval(() => {
    if (Date.now() - lastEventAt > o.stallMs) {
      killGroup('stalled', `sent no heartbeat for ${Math.round(o.stallMs / 1000)} s and was stopped`);
    }
  }, Math.min(1000, Math.max(50, o.stallMs / 4)));
  const timer = setTimeout(() => killGroup('timeout', `ran longer than its limit of ${Math.round(o.timeoutMs / 1000)} s and was stopped`), o.timeoutMs);
  const onAbort = () => killGroup('canceled', 'was canceled');
  o.signal?.addEventListener('abort', onAbort, { once: true });

  let exit: Awaited<typeof child>;
  try {
    exit = await child;
    await eventsDone;
  } finally {
    clearInterval(watchdog);
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
    child.stdin?.destroy();
  }
  const elapsedMs = Date.now() - started;
  const extra = { exitCode: exit.exitCode ?? null, signal: exit.signal ?? null };

  if (exit.failed && exit.exitCode === undefined && !exit.signal) {
    throw fail('config', `could not start the Python stage (${exit.shortMessage ?? exit.message})`, extra);
  }
  if (killedFor) throw fail(killedFor.kind, `the ${stage} stage ${killedFor.message}`, extra);
  if (exit.signal) throw fail(kindFromSignal(exit.signal), `the ${stage} stage ${describeSignal(exit.signal)}`, extra);
  if (exit.exitCode === 0) {
    if (!result) throw fail('garbage', `the ${stage} stage exited without reporting a result`, extra);
    return { artifacts: result.artifacts, peakRssBytes: peakRss, elapsedMs, warnings };
  }
  const kind = kindFromExit(exit.exitCode ?? 70, errorEvent?.code);
  const message = errorEvent?.message ?? `the ${stage} stage exited with status ${exit.exitCode}`;
  throw fail(kind, message, extra);
}
