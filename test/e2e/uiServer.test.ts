// The web page's server on a real socket: it listens on 127.0.0.1 only and refuses requests without the token, with
// a foreign Host or from another origin; uploads stay in the inbox; media is served for known jobs only, with ranges.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../src/config.js';
import { silentLogger } from '../../src/platform/log.js';
import { LocalJobSource } from '../../src/queue/localSource.js';
import { JobStore } from '../../src/store/jobs.js';
import { openDb } from '../../src/store/db.js';
import { startUi, type UiServer } from '../../src/ui/server.js';
import { CORPUS, tempDir, testConfig } from '../helpers/env.js';
import { keptDocument } from '../helpers/store.js';
import { request } from '../helpers/http.js';

const root = tempDir();
const config = testConfig({
  inboxes: [join(root, 'inbox')],
  outbox: join(root, 'outbox'),
  dataDir: join(root, 'data'),
  ui: { enabled: true, port: 0, maxUploadMb: 1 },
});
let jobs: JobStore;
let ui: UiServer;
let auth: Record<string, string>;
let jobId: number;

before(async () => {
  mkdirSync(config.inboxes[0]!, { recursive: true });
  mkdirSync(config.outbox, { recursive: true }); // a daemon makes it at start; publishing never does

  jobs = new JobStore(openDb(join(config.dataDir, 'jobs.db')));
  const input = join(config.inboxes[0]!, 'jfk.flac');
  copyFileSync(join(CORPUS, 'jfk.flac'), input);
  jobId = jobs.enqueue({
    input,
    inbox: config.inboxes[0]!,
    relPath: 'jfk.flac',
    outputStem: join(config.outbox, 'jfk'),
    sha256: 'x',
    size: statSync(input).size,
    mtimeMs: 1,
    settings: DEFAULT_SETTINGS,
  }).job.id;
  const source = new LocalJobSource({
    jobs,
    outbox: config.outbox,
    log: silentLogger,
    owner: 'test:1',
    leaseMs: 60_000,
  });
  ui = await startUi({ config, jobs, source, log: silentLogger, wake: () => undefined });
  auth = { Authorization: `Bearer ${ui.token}` };
});
after(() => ui.close());

test('no token: 401; the right token as a Bearer header: 200', async () => {
  assert.equal((await request(ui.port, { path: '/api/jobs' })).status, 401);
  assert.equal((await request(ui.port, { path: '/api/jobs', headers: { Authorization: 'Bearer nope' } })).status, 401);
  assert.equal((await request(ui.port, { path: '/', headers: { Cookie: 'dropscribe_token=nope' } })).status, 401);
  assert.equal((await request(ui.port, { path: '/api/jobs', headers: auth })).status, 200);
});

test('the token in the address is traded for an HttpOnly SameSite=Strict cookie', async () => {
  const first = await request(ui.port, { path: `/?token=${ui.token}` });
  assert.equal(first.status, 200);
  assert.match(first.body.toString(), /<script type="module">/);
  const cookie = String(first.headers['set-cookie']);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const page = await request(ui.port, { path: '/', headers: { Cookie: cookie.split(';')[0]! } });
  assert.equal(page.status, 200);
  assert.match(page.body.toString(), /<script type="module">/);
  assert.equal(statSync(join(config.dataDir, 'ui-token')).mode & 0o777, 0o600);
});

test("the page carries the queue's first page (GET /api/jobs's answer); a file name cannot close its script", async () => {
  const evil = jobs.enqueue({
    input: join(config.inboxes[0]!, 'a</script><img src=x>$&.wav'),
    inbox: config.inboxes[0]!,
    relPath: 'a</script><img src=x>$&.wav',
    outputStem: join(config.outbox, 'evil'),
    sha256: 'evil',
    size: 1,
    mtimeMs: 1,
    settings: DEFAULT_SETTINGS,
  }).job;
  const html = (await request(ui.port, { path: '/', headers: auth })).body.toString();
  assert.doesNotMatch(html, /<img src=x>/);
  const embedded = /<script id="first-page" type="application\/json">(.*?)<\/script>/s.exec(html);
  assert.ok(embedded, 'the first page is in the HTML');
  const api = JSON.parse((await request(ui.port, { path: '/api/jobs', headers: auth })).body.toString());
  assert.deepEqual(JSON.parse(embedded[1]!), api);
  assert.equal(api.jobs[0].relPath, 'a</script><img src=x>$&.wav');
  jobs.db.prepare('DELETE FROM jobs WHERE id = ?').run(evil.id);
});

test('a Host other than 127.0.0.1:<port> or localhost:<port>: 403 (DNS rebinding)', async () => {
  for (const host of ['evil.example', `evil.example:${ui.port}`, '127.0.0.1:1', `localhost.evil:${ui.port}`])
    assert.equal((await request(ui.port, { path: '/api/jobs', headers: { ...auth, Host: host } })).status, 403, host);
  const local = await request(ui.port, { path: '/api/jobs', headers: { ...auth, Host: `localhost:${ui.port}` } });
  assert.equal(local.status, 200);
  assert.equal(local.headers['access-control-allow-origin'], undefined, 'no CORS');
});

test('a state-changing request from another origin: 403, even with the token', async () => {
  const cross = await request(ui.port, {
    method: 'POST',
    path: `/api/jobs/${jobId}/cancel`,
    headers: { ...auth, Origin: 'http://evil.example' },
  });
  assert.equal(cross.status, 403);
  const site = await request(ui.port, {
    method: 'POST',
    path: `/api/jobs/${jobId}/cancel`,
    headers: { ...auth, 'Sec-Fetch-Site': 'cross-site' },
  });
  assert.equal(site.status, 403);
  assert.equal(jobs.get(jobId)!.state, 'queued', 'nothing changed');
});

test('an upload named ../x.wav stays inside the inbox; a second one does not replace it; too large: 413', async () => {
  const inbox = config.inboxes[0]!;
  const send = (name: string, body: Buffer) =>
    request(ui.port, {
      method: 'POST',
      path: `/api/upload?name=${encodeURIComponent(name)}`,
      headers: { ...auth, Origin: `http://127.0.0.1:${ui.port}`, 'Content-Type': 'application/octet-stream' },
      body,
    });
  const up = await send('../x.wav', Buffer.from('RIFF one'));
  assert.equal(up.status, 200, up.body.toString());
  assert.equal(up.json().path, join(inbox, 'x.wav'));
  assert.equal(existsSync(join(root, 'x.wav')), false);
  assert.equal((await send('../../x.wav', Buffer.from('RIFF two'))).json().path, join(inbox, 'x (2).wav'));
  assert.equal(readFileSync(join(inbox, 'x.wav'), 'utf8'), 'RIFF one');
  assert.equal((await send('notes.txt', Buffer.from('hello'))).status, 415);
  assert.equal((await send('big.wav', Buffer.alloc(2 * 2 ** 20))).status, 413);
  assert.deepEqual(
    readdirSync(inbox).filter((f) => f.startsWith('.')),
    [],
    'no temporary file is left behind',
  );
});

test('media: an unknown job 404; a known job served by id with range requests', async () => {
  assert.equal((await request(ui.port, { path: '/api/jobs/999999/media', headers: auth })).status, 404);
  assert.equal((await request(ui.port, { path: '/api/jobs/..%2F..%2Fetc/media', headers: auth })).status, 404);
  const file = readFileSync(join(CORPUS, 'jfk.flac'));
  const part = await request(ui.port, {
    path: `/api/jobs/${jobId}/media`,
    headers: { ...auth, Range: 'bytes=100-199' },
  });
  assert.equal(part.status, 206);
  assert.equal(part.headers['content-range'], `bytes 100-199/${file.length}`);
  assert.deepEqual(part.body, file.subarray(100, 200));
  const whole = await request(ui.port, { path: `/api/jobs/${jobId}/media`, headers: auth });
  assert.equal(whole.status, 200);
  assert.equal(whole.body.length, file.length);
  assert.equal(whole.headers['content-type'], 'audio/flac');
});

test('the server listens on 127.0.0.1 only', async () => {
  const others = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
  for (const host of others)
    await assert.rejects(request(ui.port, { host, path: '/api/jobs', headers: auth }), /ECONNREFUSED/, host);
  await assert.rejects(
    request(ui.port, { host: '::1', path: '/api/jobs', headers: auth }),
    /ECONNREFUSED|EADDRNOTAVAIL/,
  );
});

test('corrections through the API: a speaker renamed in the published JSON; a job without a transcript: 409', async () => {
  const post = (path: string, body: unknown) =>
    request(ui.port, {
      method: 'POST',
      path,
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  assert.equal((await post(`/api/jobs/${jobId}/corrections`, { kind: 'speaker', id: 'S1', name: 'Ada' })).status, 409);
  const doc = {
    ...keptDocument('', {
      segments: [{ start: 0, end: 1, text: ' hello', words: [{ word: ' hello', start: 0, end: 1, probability: 0.9 }] }],
    }),
    speakers: [{ id: 'S1', name: 'S1', speechSec: 1 }],
  };
  jobs.complete(jobId, [], [], [], doc);
  assert.equal((await post(`/api/jobs/${jobId}/corrections`, { kind: 'speaker', id: 'S9', name: 'x' })).status, 409);
  assert.equal((await post(`/api/jobs/${jobId}/corrections`, { kind: 'nonsense' })).status, 400);
  const renamed = await post(`/api/jobs/${jobId}/corrections`, { kind: 'speaker', id: 'S1', name: 'Ada' });
  assert.equal(renamed.status, 200, renamed.body.toString());
  const published = JSON.parse(readFileSync(join(config.outbox, 'jfk.json'), 'utf8')) as { speakers: unknown };
  assert.deepEqual(published.speakers, [{ id: 'S1', name: 'Ada', speechSec: 1 }]);
  const detail = (await request(ui.port, { path: `/api/jobs/${jobId}`, headers: auth })).json<{
    transcript: { speakers: { name: string }[] };
    correctedAt: number | null;
  }>();
  assert.equal(detail.transcript.speakers[0]!.name, 'Ada');
  assert.ok(detail.correctedAt);
  assert.deepEqual(jobs.corrections.original(jobId), doc, 'the original is kept');
});
