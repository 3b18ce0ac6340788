// The web page's server on a real socket: it listens on 127.0.0.1 only and refuses requests without a Bearer
// credential (the token, or a session a single-use code signed in), with a foreign Host or from another origin; it
// forbids framing and sets no cookie; uploads stay in the inbox; media is served for known jobs only, with ranges,
// through signed addresses, never through a link out of the inboxes; malformed requests get a 4xx.
import assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../src/config/config.js';
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

/** A sign-in code, as `dropscribe open` asks the daemon for one (with the token from the data folder). */
async function mintCode(headers: Record<string, string> = auth) {
  return request(ui.port, { method: 'POST', path: '/api/open-code', headers });
}

/** The page opened with a fresh code: its HTML and the session it carries (undefined when it carries none). */
async function signIn(): Promise<{ html: string; session: string | undefined; status: number }> {
  const minted = await mintCode();
  assert.equal(minted.status, 200, minted.body.toString());
  return openWith(minted.json<{ code: string }>().code);
}

async function openWith(code: string) {
  const page = await request(ui.port, { path: `/?code=${encodeURIComponent(code)}` });
  const html = page.body.toString();
  const signIn = /<script id="sign-in" type="application\/json">(.*?)<\/script>/s.exec(html);
  const session = signIn ? (JSON.parse(signIn[1]!) as { session?: string }).session : undefined;
  return { html, session, status: page.status };
}

test('no credential: 401; the token as a Bearer header: 200; a cookie or ?token= is never a credential', async () => {
  assert.equal((await request(ui.port, { path: '/api/jobs' })).status, 401);
  assert.equal((await request(ui.port, { path: '/api/jobs', headers: { Authorization: 'Bearer nope' } })).status, 401);
  assert.equal((await request(ui.port, { path: '/api/jobs', headers: auth })).status, 200);
  const cookie = await request(ui.port, { path: '/api/jobs', headers: { Cookie: `dropscribe_token=${ui.token}` } });
  assert.equal(cookie.status, 401);
  const query = await request(ui.port, { path: `/?token=${ui.token}` });
  assert.equal(query.headers['set-cookie'], undefined, 'no cookie is ever set');
  assert.doesNotMatch(query.body.toString(), /id="first-page"/, 'the token in an address opens nothing');
  assert.equal((await request(ui.port, { path: `/api/jobs?token=${ui.token}` })).status, 401);
  assert.equal(statSync(join(config.dataDir, 'ui-token')).mode & 0o777, 0o600);
});

test('a code from POST /api/open-code signs one page in, once; its session is a Bearer credential', async () => {
  const first = await signIn();
  assert.equal(first.status, 200);
  assert.ok(first.session, 'the page carries a session');
  assert.notEqual(first.session, ui.token);
  assert.match(first.html, /<script id="first-page" type="application\/json">/);
  const bearer = { Authorization: `Bearer ${first.session}` };
  assert.equal((await request(ui.port, { path: '/api/jobs', headers: bearer })).status, 200);

  const code = (await mintCode()).json<{ code: string }>().code;
  assert.ok((await openWith(code)).session);
  const again = await openWith(code);
  assert.equal(again.session, undefined, 'a code works once');
  assert.equal(again.status, 401);
  assert.doesNotMatch(again.html, /id="first-page"/);
  assert.match(again.html, /dropscribe open/, 'the page says how to sign in');

  const shell = await request(ui.port, { path: '/' });
  assert.equal(shell.status, 200, 'the page itself holds no data and needs no credential');
  assert.doesNotMatch(shell.body.toString(), /id="first-page"|id="sign-in"/);
  assert.equal((await mintCode(bearer)).status, 401, 'only the token mints codes, not a session');
  assert.equal((await mintCode({})).status, 401);
});

test('every answer forbids framing and sets no cookie', async () => {
  const { session } = await signIn();
  const answers = [
    await request(ui.port, { path: '/' }),
    await request(ui.port, { path: `/?code=nope` }),
    await request(ui.port, { path: '/api/jobs', headers: { Authorization: `Bearer ${session}` } }),
    await request(ui.port, { path: '/api/jobs' }),
    await request(ui.port, { path: '/api/jobs/424242', headers: auth }),
  ];
  for (const a of answers) {
    assert.match(String(a.headers['content-security-policy']), /frame-ancestors 'none'/, String(a.status));
    assert.equal(a.headers['x-frame-options'], 'DENY');
    assert.equal(a.headers['set-cookie'], undefined);
  }
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
  const { html } = await signIn();
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

test('media plays through the signed address in the job detail, with no Bearer header; a changed one: 401', async () => {
  const detail = (await request(ui.port, { path: `/api/jobs/${jobId}`, headers: auth })).json<{ mediaUrl: string }>();
  assert.match(detail.mediaUrl, new RegExp(`^/api/jobs/${jobId}/media\\?exp=\\d+&sig=[\\w-]+$`));
  const played = await request(ui.port, { path: detail.mediaUrl, headers: { Range: 'bytes=0-9' } });
  assert.equal(played.status, 206);
  assert.equal(played.body.length, 10);
  assert.equal((await request(ui.port, { path: `/api/jobs/${jobId}/media` })).status, 401);
  const forged = detail.mediaUrl.replace(/sig=[\w-]+/, `sig=${'A'.repeat(43)}`);
  assert.equal((await request(ui.port, { path: forged })).status, 401);
  const otherJob = detail.mediaUrl.replace(`/jobs/${jobId}/`, `/jobs/${jobId + 1}/`);
  assert.equal((await request(ui.port, { path: otherJob })).status, 401);
  assert.equal((await request(ui.port, { path: `/api/jobs/${jobId}?${detail.mediaUrl.split('?')[1]}` })).status, 401);
});

/** A job for a file `rel` in the inbox (the file itself is the test's to make). */
function jobFor(rel: string): number {
  const inbox = config.inboxes[0]!;
  return jobs.enqueue({
    input: join(inbox, rel),
    inbox,
    relPath: rel,
    outputStem: join(config.outbox, rel),
    sha256: `sha-${rel}`,
    size: 1,
    mtimeMs: 1,
    settings: DEFAULT_SETTINGS,
  }).job.id;
}

test('media: a recording replaced by a link out of the inboxes is not served; a link inside them is', async () => {
  const inbox = config.inboxes[0]!;
  const outside = join(root, 'outside');
  mkdirSync(join(outside, 'folder'), { recursive: true });
  writeFileSync(join(outside, 'secret.flac'), 'SECRET outside the inbox');
  writeFileSync(join(outside, 'folder', 'rec.flac'), 'SECRET in a folder outside');
  const media = (id: number) => request(ui.port, { path: `/api/jobs/${id}/media`, headers: auth });

  const swapped = jobFor('swapped.flac');
  writeFileSync(join(inbox, 'swapped.flac'), 'inside');
  assert.equal((await media(swapped)).status, 200);
  rmSync(join(inbox, 'swapped.flac'));
  symlinkSync(join(outside, 'secret.flac'), join(inbox, 'swapped.flac'));
  const refused = await media(swapped);
  assert.equal(refused.status, 403, refused.body.toString());
  assert.doesNotMatch(refused.body.toString(), /SECRET/);

  const viaFolder = jobFor('linked/rec.flac');
  symlinkSync(join(outside, 'folder'), join(inbox, 'linked'));
  const folder = await media(viaFolder);
  assert.equal(folder.status, 403, 'a folder in the inbox that is a link out of it');
  assert.doesNotMatch(folder.body.toString(), /SECRET/);

  const inside = jobFor('alias.flac');
  symlinkSync(join(inbox, 'jfk.flac'), join(inbox, 'alias.flac'));
  assert.equal((await media(inside)).status, 200, 'intake takes a link to a file inside an inbox: so does the page');
  for (const id of [swapped, viaFolder, inside]) jobs.db.prepare('DELETE FROM jobs WHERE id = ?').run(id);
  for (const f of ['swapped.flac', 'linked', 'alias.flac']) rmSync(join(inbox, f));
});

test('malformed requests get a clear 4xx, never a 500, and make no file', async () => {
  const inbox = config.inboxes[0]!;
  const files = () => readdirSync(inbox).sort();
  const before = files();
  const upload = (query: string, body: string, type = 'application/octet-stream') =>
    request(ui.port, {
      method: 'POST',
      path: `/api/upload?${query}`,
      headers: { ...auth, Origin: `http://127.0.0.1:${ui.port}`, 'Content-Type': type },
      body,
    });
  const empty = jobFor('empty.wav');
  writeFileSync(join(inbox, 'empty.wav'), '');
  const answers: [string, Awaited<ReturnType<typeof request>>, number][] = [
    [
      'a malformed cookie',
      await request(ui.port, { path: '/api/jobs', headers: { Cookie: 'dropscribe_token=%E0%A4%A' } }),
      401,
    ],
    [
      'a malformed cookie, the page',
      await request(ui.port, { path: '/', headers: { Cookie: 'dropscribe_token=%E0%A4%A' } }),
      200,
    ],
    ['two names', await upload('name=a.wav&name=b.wav', 'RIFF'), 400],
    ['no name', await upload('', 'RIFF'), 400],
    ['a 300-character name', await upload(`name=${'n'.repeat(300)}.wav`, 'RIFF'), 400],
    ['sent as JSON', await upload('name=json.mp3', '{"a":1}', 'application/json'), 415],
    ['sent as a form', await upload('name=form.mp3', 'a=1', 'application/x-www-form-urlencoded'), 415],
    ['an empty body', await upload('name=nothing.wav', ''), 400],
    ["a 0-byte input's media", await request(ui.port, { path: `/api/jobs/${empty}/media`, headers: auth }), 422],
  ];
  rmSync(join(inbox, 'empty.wav'));
  jobs.db.prepare('DELETE FROM jobs WHERE id = ?').run(empty);
  const wrong = answers
    .filter(([, answer, status]) => answer.status !== status)
    .map(
      ([what, answer, status]) => `${what}: ${answer.status} (not ${status}) ${answer.body.toString().slice(0, 200)}`,
    );
  assert.deepEqual(wrong, []);
  for (const [what, answer, status] of answers)
    if (status >= 400) assert.match(String(answer.json().error), /^(?!Internal Server Error)\w/, what);
  assert.deepEqual(files(), before, 'no file was made');
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
