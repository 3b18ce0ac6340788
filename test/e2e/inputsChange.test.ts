// Inputs that change under a job, with the real daemon: the inbox folder deleted and created again; a file replaced,
// deleted or renamed while its job runs. Each job ends once with a clear outcome, nothing is published for a file
// that changed, the new content gets its own job, and a renamed file's outputs go under its new name only.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CORPUS } from '../helpers/env.js';
import { cli, startTestDaemon, waitFor } from '../helpers/daemonProcess.js';
import { ffmpeg } from '../helpers/ffmpeg.js';

const SONNET = join(CORPUS, 'en_librivox_shakespeare_sonnet001.mp3');

/** 25 s of the sonnet (long enough to act while it is transcribed) at `volume`, so each is content of its own. */
function sonnetClip(out: string, volume: number): void {
  ffmpeg(['-i', SONNET, '-t', '25', '-af', `volume=${volume}`, '-ar', '16000', '-ac', '1', out]);
}

interface JobJson {
  id: number;
  input: string;
  state: string;
  stage: string | null;
  error: string | null;
  outputs: string[];
  notes: string[];
  attempts: number;
  duplicateOf: number | null;
}

async function jobs(configFile: string): Promise<JobJson[]> {
  const r = await cli(['status', '--json', '--config', configFile]);
  return r.code === 0 ? (JSON.parse(r.stdout) as { jobs: JobJson[] }).jobs : [];
}

async function jobOf(configFile: string, input: string): Promise<JobJson | undefined> {
  return (await jobs(configFile)).find((j) => j.input === input);
}

const transcribing = (configFile: string, input: string) =>
  waitFor(
    `${input} being transcribed`,
    async () => (await jobOf(configFile, input))?.stage === 'transcribe',
    120_000,
    100,
  );

test(
  'the inbox recreated; files replaced, deleted and renamed while their jobs run',
  { timeout: 400_000 },
  async () => {
    const t = await startTestDaemon({ job: { model: 'tiny.en', speakers: 'off' } });
    const inbox = (name: string) => join(t.inbox, name);

    // The inbox folder deleted and created again: a file dropped into the new folder is taken.
    rmSync(t.inbox, { recursive: true });
    mkdirSync(t.inbox);
    copyFileSync(join(CORPUS, 'en_cmu_arctic_a0024.wav'), inbox('arctic.wav'));
    await waitFor('the file in the new inbox', () => existsSync(join(t.outbox, 'arctic.txt')), 120_000).catch(
      t.daemon.fail,
    );

    // Replaced while it runs: nothing of the old content is published; the new content is transcribed.
    sonnetClip(join(t.root, 'talk.wav'), 1);
    renameSync(join(t.root, 'talk.wav'), inbox('talk.mp3'));
    await transcribing(t.configFile, inbox('talk.mp3')).catch(t.daemon.fail);
    copyFileSync(join(CORPUS, 'jfk.flac'), join(t.root, 'new.mp3'));
    renameSync(join(t.root, 'new.mp3'), inbox('talk.mp3'));
    const replaced = await waitFor(
      'the new content transcribed',
      async () => {
        const all = (await jobs(t.configFile)).filter((j) => j.input === inbox('talk.mp3'));
        return all.length === 2 && all.every((j) => j.state === 'done' || j.state === 'canceled') ? all : undefined;
      },
      180_000,
    ).catch(t.daemon.fail);
    const [fresh, old] = replaced; // newest first
    assert.deepEqual([old!.state, fresh!.state], ['canceled', 'done']);
    assert.match(old!.error ?? '', /changed while it was transcribed: nothing was published/);
    assert.match(readFileSync(join(t.outbox, 'talk.txt'), 'utf8'), /ask not what your country/i);
    assert.doesNotMatch(readFileSync(join(t.outbox, 'talk.txt'), 'utf8'), /fairest creatures/i);

    // Deleted, and renamed inside the inbox, while they run (other content, so neither is a duplicate of the sonnet).
    ffmpeg(['-i', SONNET, '-af', 'volume=0.8', '-ar', '16000', '-ac', '1', join(t.root, 'deleted.wav')]);
    ffmpeg(['-i', SONNET, '-af', 'volume=0.7', '-ar', '16000', '-ac', '1', join(t.root, 'old-name.wav')]);
    renameSync(join(t.root, 'deleted.wav'), inbox('deleted.wav'));
    renameSync(join(t.root, 'old-name.wav'), inbox('old-name.wav'));
    await transcribing(t.configFile, inbox('deleted.wav')).catch(t.daemon.fail);
    rmSync(inbox('deleted.wav'));
    await transcribing(t.configFile, inbox('old-name.wav')).catch(t.daemon.fail);
    renameSync(inbox('old-name.wav'), inbox('new-name.wav'));
    await waitFor(
      'the renamed file published under its new name',
      () => existsSync(join(t.outbox, 'new-name.txt')) && existsSync(join(t.outbox, 'deleted.txt')),
      240_000,
    ).catch(t.daemon.fail);
    await t.daemon.stop();

    const deleted = (await jobOf(t.configFile, inbox('deleted.wav')))!;
    assert.equal(deleted.state, 'done');
    assert.ok(deleted.notes.some((n) => /deleted or moved away while it was transcribed/.test(n)));
    const oldName = (await jobOf(t.configFile, inbox('old-name.wav')))!;
    const newName = (await jobOf(t.configFile, inbox('new-name.wav')))!;
    assert.deepEqual([oldName.state, oldName.outputs], ['done', []], 'nothing under the old name');
    assert.ok(oldName.notes.some((n) => /renamed to new-name\.wav/.test(n)));
    assert.deepEqual([newName.state, newName.duplicateOf], ['done', oldName.id]);
    assert.equal(existsSync(join(t.outbox, 'old-name.txt')), false);
    for (const j of await jobs(t.configFile)) assert.equal(j.attempts <= 1, true, `job ${j.id} ran once`);
  },
);
