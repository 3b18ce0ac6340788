// A test double in front of a real transcription server on 127.0.0.1: it forwards requests, and on the test's word
// answers 500, refuses a key, adds word timings to the real answer, or goes down (stops listening).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface DoubleScript {
  /** Answer this many requests with HTTP 500 first. */
  fail500?: number;
  /** Answer 401 unless the request carries `Bearer <requireKey>`. */
  requireKey?: string;
  /** Give each segment of the real answer words (its text spread evenly over its time). */
  addWords?: boolean;
  /** Stop listening after this many forwarded answers (the server is down from then on). */
  downAfter?: number;
}

export class ServerDouble {
  private server: Server | undefined;
  /** Every request's path and the status it was answered with. */
  readonly seen: { path: string; status: number }[] = [];
  private forwarded = 0;

  constructor(
    readonly upstream: string,
    readonly script: DoubleScript = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as { port: number }).port}/v1`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s?.listening) return;
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = req.url ?? '';
    const answer = (status: number, body: unknown) => {
      this.seen.push({ path, status });
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    const s = this.script;
    if (s.requireKey && req.headers.authorization !== `Bearer ${s.requireKey}`) {
      return answer(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
    }
    if ((s.fail500 ?? 0) > this.seen.filter((r) => r.status === 500).length) {
      return answer(500, { error: { message: 'internal error (test double)' } });
    }
    const upstream = await fetch(this.upstream.replace(/\/v1$/, '') + path, {
      method: req.method,
      headers: { 'content-type': req.headers['content-type'] ?? 'application/octet-stream' },
      body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
      signal: AbortSignal.timeout(600_000),
    });
    let body = (await upstream.json()) as { segments?: { start: number; end: number; text: string }[] };
    if (s.addWords && upstream.ok) body = withWords(body);
    answer(upstream.status, body);
    this.forwarded++;
    if (s.downAfter !== undefined && this.forwarded >= s.downAfter) await this.stop();
  }
}

/** The answer with every segment's words: its text's words spread evenly over the segment. */
function withWords<T extends { segments?: { start: number; end: number; text: string }[] }>(answer: T): T {
  const segments = (answer.segments ?? []).map((seg) => {
    const words = seg.text.trim().split(/\s+/).filter(Boolean);
    const step = (seg.end - seg.start) / Math.max(1, words.length);
    return {
      ...seg,
      words: words.map((w, i) => ({ word: ` ${w}`, start: seg.start + i * step, end: seg.start + (i + 1) * step })),
    };
  });
  return { ...answer, segments };
}
