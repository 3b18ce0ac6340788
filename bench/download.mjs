// Issue 19 point 4: the first-use model download against a hub on 127.0.0.1 (test/helpers/hubServer.ts, a copy of
// the bundled base, 150 MB): throughput unthrottled, and a kill -9 of the downloading process at half way: the time
// from the new process's start to its first ranged byte, and the bytes served in all.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PYTHON, REPO, record, tempRoot, waitFor } from './lib.mjs';
import { startHub, TEST_REPO } from '../dist/test/helpers/hubServer.js';

const SCRIPT = `
import sys
from pathlib import Path
from dropscribe_stages.weights.hub_download import ensure_model
from dropscribe_stages.runtime.protocol import Channel
ensure_model(sys.argv[1], Path(sys.argv[2]), Channel(open("/dev/null", "w")))
`;

function download(endpoint, root) {
  const child = spawn(PYTHON, ['-c', SCRIPT, TEST_REPO, root], {
    cwd: join(REPO, 'python'),
    env: { ...process.env, HF_ENDPOINT: endpoint, HF_HUB_OFFLINE: '0' },
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return { child, exited };
}

const runs = [];
for (let i = 0; i < 3; i++) {
  const hub = await startHub();
  const t0 = Date.now();
  const code = await download(hub.endpoint, tempRoot()).exited;
  runs.push({ sec: (Date.now() - t0) / 1000, code, bytes: hub.served.reduce((n, s) => n + s.sent, 0) });
  await hub.close();
}

const RATE = 20e6;
const slow = await startHub({ bytesPerSec: RATE });
const root = tempRoot();
const first = download(slow.endpoint, root);
const model = () => slow.served.filter((s) => s.file === 'model.bin');
await waitFor(() => model()[0]?.sent > slow.modelBytes / 2, 120_000, 20);
first.child.kill('SIGKILL');
await first.exited;
const killedAt = model()[0].sent;
const t1 = Date.now();
const second = download(slow.endpoint, root);
await waitFor(() => model()[1]?.sent > 0, 60_000, 5);
const toFirstByte = (Date.now() - t1) / 1000;
const code = await second.exited;
const served = model().reduce((n, s) => n + s.sent, 0);
await slow.close();

const mb = (b) => (b / 1e6).toFixed(1);
record('Model download from a local hub (150 MB copy of base)', [
  '| run | seconds | MB/s | exit |',
  '|---|---|---|---|',
  ...runs.map((r, i) => `| unthrottled ${i + 1} | ${r.sec.toFixed(2)} | ${(r.bytes / 1e6 / r.sec).toFixed(0)} | ${r.code} |`),
  '',
  `Throttled to ${mb(RATE)} MB/s, kill -9 of the downloading process after ${mb(killedAt)} MB of model.bin: the new ` +
    `process asked for the rest from byte ${model()[1].start} (Range) and got its first byte ` +
    `${toFirstByte.toFixed(2)} s after it started (Python start, hub listing, flock); model.bin bytes served in all ` +
    `${mb(served)} MB for ${mb(slow.modelBytes)} MB (exit ${code}).`,
].join('\n'), { runs, killedAt, toFirstByte, served, modelBytes: slow.modelBytes });
