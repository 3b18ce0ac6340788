// The page's downloads on the real server: one job in any format rendered on request (named, typed, read back by
// pandoc), and "export all" of a folder, a search result or a list as one zip; refusals in plain words.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { silentLogger } from '../../src/platform/log.js';
import { LocalJobSource } from '../../src/queue/localSource.js';
import { startUi, type UiServer } from '../../src/ui/server.js';
import { tempDir } from '../helpers/env.js';
import { request } from '../helpers/http.js';
import { python, run } from '../unit/output/render/readers.js';
import { finishedJobsFixture } from './exportFixture.js';

const f = finishedJobsFixture(3);
const config = { ...f.config, ui: { ...f.config.ui, enabled: true, port: 0 } };
let ui: UiServer;
let auth: Record<string, string>;
const dir = tempDir('dropscribe-download-');

before(async () => {
  const source = new LocalJobSource({
    jobs: f.jobs,
    outbox: config.outbox,
    log: silentLogger,
    owner: 'test:1',
    leaseMs: 60_000,
  });
  ui = await startUi({ config, jobs: f.jobs, source, log: silentLogger, wake: () => undefined });
  auth = { Authorization: `Bearer ${ui.token}` };
});
after(() => ui.close());

const get = (path: string, headers = auth) => request(ui.port, { path, headers });

/** The names in a zip, and one file's text, as Python's zipfile reads them. */
function unzip(body: Buffer, name?: string): { names: string[]; text?: string } {
  const file = join(dir, `${Math.random()}.zip`);
  writeFileSync(file, body);
  const code =
    'import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\n' +
    'print(json.dumps({"names": z.namelist(), "text": z.read(sys.argv[2]).decode() if sys.argv[2] else None}))';
  return JSON.parse(python(code, file, name ?? '')) as { names: string[]; text?: string };
}

test("one job's DOCX, rendered on request: named after the recording, read back by pandoc", async () => {
  const r = await get(`/api/jobs/${f.ids[0]}/download/docx`);
  assert.equal(r.status, 200, r.body.toString());
  assert.match(String(r.headers['content-type']), /wordprocessingml/);
  assert.match(String(r.headers['content-disposition']), /attachment; filename="talk-1\.docx"/);
  const file = join(dir, 'talk-1.docx');
  writeFileSync(file, r.body);
  assert.match(run('pandoc', ['-f', 'docx', '-t', 'plain', file]), /^Ada: \[00:00:00\] the river runs/m);
  const md = await get(`/api/jobs/${f.ids[1]}/download/md`);
  assert.match(md.body.toString(), /^\*\*Ben:\*\* /m);
});

test('refusals: an unknown format, a job that does not exist, no credential', async () => {
  assert.equal((await get(`/api/jobs/${f.ids[0]}/download/pdf`)).status, 400);
  assert.equal((await get('/api/jobs/999/download/md')).status, 404);
  assert.equal((await get(`/api/jobs/${f.ids[0]}/download/md`, {})).status, 401);
  assert.equal((await get('/api/export?format=md')).status, 400, 'which jobs must be said');
  assert.equal((await get('/api/export?format=md&ids=1&q=x')).status, 400, 'one way of naming them');
});

test('export all: a folder, a search result or a list of jobs as one zip', async () => {
  const folder = await get('/api/export?format=md&folder=interviews');
  assert.equal(folder.status, 200, folder.body.toString());
  assert.match(String(folder.headers['content-disposition']), /dropscribe-md\.zip/);
  const all = unzip(folder.body, 'interviews/talk-2.md');
  assert.deepEqual(all.names.sort(), ['interviews/talk-1.md', 'interviews/talk-2.md', 'interviews/talk-3.md']);
  assert.match(all.text!, /^# talk-2$/m);
  const searched = unzip((await get('/api/export?format=csv&q=river')).body);
  assert.equal(searched.names.length, 3);
  const listed = unzip((await get(`/api/export?format=srt&ids=${f.ids[2]},999`)).body, 'NOT EXPORTED.txt');
  assert.deepEqual(listed.names.sort(), ['NOT EXPORTED.txt', 'interviews/talk-3.srt']);
  assert.match(listed.text!, /job 999 does not exist/);
});
