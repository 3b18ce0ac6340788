// Runs stages as Python processes: requests on stdin, NDJSON events on fd 3, heartbeat watchdog,
// process-group kill; each outcome becomes validated artifacts or a StageError (stageEnd.ts reads how a process ended).
// A StageProcess serves one request (one-shot) or, with `warm`, many in turn with its model kept loaded.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { ArtifactsByStage, StageEvent, type StageName } from '../core/contract.js';
import type { Logger } from '../platform/log.js';
import { kindFromCode, StageError, type StageErrorKind } from './stageError.js';
import {
  endFromExit,
  outcomeOf,
  stageFailure,
  type Exit,
  type Pending,
  type RequestOptions,
  type StageOutcome,
} from './stageEnd.js';

export type { RequestOptions, StageOutcome };
import { spawnStage } from './spawnStage.js';
import { TextTail } from './tail.js';
import { AwakeClock, RequestWatch, TICK_MS } from './watchdog.js';

export interface RunStageOptions<S extends StageName> extends RequestOptions<S> {
  python: string;
  log: Logger;
  /** The Python module to run; tests point it at fixture stages. */
  module?: string;
  /** Added to the stage's environment (a secret such as the server's API key, kept out of the request). */
  env?: Record<string, string>;
}

export interface StageProcessOptions {
  python: string;
  stage: StageName;
  /** Serve many requests in turn with the model kept loaded (a warm worker), else one. */
  warm: boolean;
  log: Logger;
  /** The Python module to run; tests point it at fixture stages. */
  module?: string;
  /** Added to the stage's environment (a secret kept out of the request). */
  env?: Record<string, string>;
}

export class StageProcess {
  private child: ChildProcess | undefined;
  private pending: Pending | undefined;
  private readonly stderr = new TextTail();
  private exit: Exit | undefined;
  private exited: Promise<Exit> | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private clock = new AwakeClock();
  requestsServed = 0;

  readonly python: string;
  readonly stage: StageName;
  readonly warm: boolean;
  private readonly log: Logger;
  private readonly module: string;
  private readonly env: Record<string, string>;

  constructor(o: StageProcessOptions) {
    this.python = o.python;
    this.stage = o.stage;
    this.warm = o.warm;
    this.log = o.log;
    this.module = o.module ?? 'dropscribe_stages';
    this.env = o.env ?? {};
  }

  get alive(): boolean {
    return this.child !== undefined && this.exit === undefined;
  }

  get busy(): boolean {
    return this.pending !== undefined;
  }

  /** Start the process now (a warm worker then waits for its first request). */
  start(): void {
    if (!this.child && existsSync(this.python)) this.spawn();
  }

  private spawn(): void {
    const { child, ended } = spawnStage(
      this.python,
      [this.module, this.stage, ...(this.warm ? ['--warm'] : [])],
      this.env,
    );
    this.child = child;
    const events = child.stdio[3] as Readable | undefined;
    const eventsClosed = events
      ? new Promise<void>((resolve) => {
          const rl = createInterface({ input: events, crlfDelay: Infinity });
          rl.on('line', (line) => this.onEvent(line));
          rl.on('close', resolve);
        })
      : Promise.resolve();
    child.stderr?.on('data', (d: Buffer) => this.stderr.push(d));
    child.stdout?.on('data', (d: Buffer) => {
      this.stderr.push(d);
      this.log.debug({ stage: this.stage, out: d.toString().slice(0, 500) }, 'stage stdout');
    });
    child.stdin?.on('error', () => {}); // the stage may exit before reading; its exit says why
    this.exited = ended.then(async (exit) => {
      await eventsClosed;
      this.exit = exit;
      clearInterval(this.watchdog);
      this.settleFromExit();
      return this.exit;
    });
    this.clock = new AwakeClock();
    this.watchdog = setInterval(() => this.checkStall(), TICK_MS);
    this.watchdog.unref();
  }

  /** Send one request and wait for its outcome. */
  request<S extends StageName>(options: RequestOptions<S>): Promise<StageOutcome<S>> {
    if (this.pending) throw new Error('a stage process serves one request at a time');
    const started = Date.now();
    const fail = (kind: StageErrorKind, message: string) =>
      new StageError(kind, message, { ...options.context, stage: this.stage, elapsedMs: Date.now() - started });
    if (!existsSync(this.python)) {
      return Promise.reject(
        fail(
          'config',
          `the Python environment is missing (${this.python}); run \`npm install\` in the dropscribe folder to create it`,
        ),
      );
    }
    if (options.signal?.aborted) return Promise.reject(fail('canceled', 'canceled before it started'));
    if (!this.child) this.spawn();
    if (!this.alive) return Promise.reject(fail('bug', `the ${this.stage} worker is not running`));

    return new Promise<StageOutcome<S>>((resolve, reject) => {
      const onAbort = () => this.kill('canceled', 'was canceled');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending = {
        stage: this.stage,
        options: options as unknown as RequestOptions<StageName>,
        started,
        warnings: [],
        peakRss: 0,
        watch: new RequestWatch(this.clock, options.stallMs, options.timeoutMs),
        settle: (outcome) => {
          options.signal?.removeEventListener('abort', onAbort);
          this.pending = undefined;
          this.requestsServed++;
          if (outcome instanceof StageError) reject(outcome);
          else resolve(outcome as StageOutcome<S>);
        },
      };
      this.child!.stdin?.write(JSON.stringify(options.request) + '\n');
    });
  }

  /** Close stdin (the stage exits when idle) and wait for the process to end. */
  async close(): Promise<void> {
    if (!this.child) return;
    this.child.stdin?.end();
    await this.exited;
  }

  /** Kill the whole process group; the request in flight fails with `kind`. */
  kill(kind: StageErrorKind = 'canceled', message = 'was stopped'): void {
    if (this.pending && !this.pending.killedFor) this.pending.killedFor = { kind, message };
    if (!this.child || this.exit) return;
    try {
      if (this.child.pid) process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
  }

  /** Each tick: count awake time, then stop a request that broke its stall or time limit. */
  private checkStall(): void {
    const frozenMs = this.clock.tick();
    const p = this.pending;
    if (!p || p.killedFor) return;
    if (frozenMs > 0)
      this.log.warn(
        { stage: this.stage, frozenSec: Math.round(frozenMs / 1000) },
        'the daemon was frozen (the machine slept, or its processes were stopped); that time does not count against the stage',
      );
    const broken = p.watch.verdict();
    if (broken) this.kill(broken.kind, broken.message);
  }

  private onEvent(line: string): void {
    if (!line.trim()) return;
    const p = this.pending;
    if (!p) {
      // A heartbeat can race the end of a request; anything else from an idle worker is worth a look.
      const heartbeat = line.includes('"heartbeat"');
      this.log[heartbeat ? 'debug' : 'warn'](
        { stage: this.stage, line: line.slice(0, 200) },
        'event from an idle stage process',
      );
      return;
    }
    p.watch.heard();
    let parsed: ReturnType<typeof StageEvent.safeParse>;
    try {
      parsed = StageEvent.safeParse(JSON.parse(line));
    } catch {
      return this.kill('garbage', `sent a line that is not JSON: ${line.slice(0, 200)}`);
    }
    if (!parsed.success) return this.kill('garbage', `sent an event that breaks the contract: ${line.slice(0, 200)}`);
    const ev = parsed.data;
    switch (ev.event) {
      case 'started':
        break;
      case 'progress':
        p.options.onProgress?.(ev.fraction, ev.message);
        break;
      case 'download':
        p.options.onDownload?.(ev);
        break;
      case 'heartbeat':
        p.peakRss = Math.max(p.peakRss, ev.rssBytes);
        break;
      case 'warning':
        p.warnings.push(ev.message);
        p.options.onWarning?.(ev.message);
        break;
      case 'error':
        p.errorEvent = { code: ev.code, message: ev.message, retryable: ev.retryable };
        if (this.warm) this.settleWarmError(p);
        break;
      case 'result': {
        if (p.result) return this.kill('garbage', 'sent more than one result');
        const artifacts = ArtifactsByStage[this.stage].safeParse(ev.artifacts);
        if (!artifacts.success) {
          return this.kill(
            'garbage',
            `returned artifacts that break the contract (${artifacts.error.issues
              .map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`)
              .join('; ')}): ${JSON.stringify(ev.artifacts).slice(0, 200)}`,
          );
        }
        p.result = { artifacts: artifacts.data, peakRssBytes: ev.peakRssBytes };
        p.peakRss = Math.max(p.peakRss, ev.peakRssBytes);
        if (this.warm) p.settle(outcomeOf(p));
      }
    }
  }

  /** A warm worker reported an error for this request: classify it by code; the worker is recycled. */
  private settleWarmError(p: Pending): void {
    const ev = p.errorEvent!;
    const kind = kindFromCode(ev.code, ev.message);
    p.settle(stageFailure(p, { kind, message: ev.message, stderrTail: this.stderr.lines(), retryable: ev.retryable }));
    this.kill();
  }

  /** The process ended: settle the request in flight from how it ended. */
  private settleFromExit(): void {
    this.pending?.settle(endFromExit(this.pending, this.exit!, this.stderr.lines()));
  }
}

/** Run one request in a fresh process that ends with it. */
export async function runStage<S extends StageName>(o: RunStageOptions<S>): Promise<StageOutcome<S>> {
  const proc = new StageProcess({
    python: o.python,
    stage: o.request.stage,
    warm: false,
    log: o.log,
    module: o.module,
    env: o.env,
  });
  try {
    return await proc.request(o); // a one-shot request settles only once its process has exited
  } finally {
    await proc.close();
  }
}
