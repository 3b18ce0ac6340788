// The checks a team job from another host passes: its paths stay inside this host's inbox and outbox (no '..', no
// absolute part, no NUL or backslash, no link out), and only the allow-list of transcript settings is taken.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../../src/config/config.js';
import { checkTeamJob, KNOWN_MODELS, relPathProblem, settingsFromTeam } from '../../../src/team/teamJobCheck.js';
import type { TeamJobData } from '../../../src/team/teamJob.js';
import { REPO, tempDir, testConfig } from '../../helpers/env.js';

test('a path exchanged between hosts is plain and relative', () => {
  for (const ok of ['talk.wav', 'a/b/talk.wav', 'Café … 2024/…x.m4a', '.hidden.wav', 'a..b.wav'])
    assert.equal(relPathProblem(ok), undefined, ok);
  const bad: [string, RegExp][] = [
    ['../x', /\.\./],
    ['a/../../b', /\.\./],
    ['/etc/passwd', /absolute/],
    ['C:/Windows/x', /absolute/],
    ['a\\..\\..\\b', /backslash/],
    ['a\0b', /NUL/],
    ['a//b', /empty/],
    ['./a', /empty or \./],
    ['', /empty/],
    [`${'x'.repeat(256)}.wav`, /255/],
  ];
  for (const [p, why] of bad) assert.match(relPathProblem(p) ?? 'accepted', why, JSON.stringify(p));
});

function job(overrides: Partial<TeamJobData> = {}): TeamJobData {
  return {
    relPath: 'talk.wav',
    inboxIndex: 0,
    sha256: 'a'.repeat(64),
    size: 1,
    mtimeMs: 1,
    outputRel: 'talk',
    settings: { ...DEFAULT_SETTINGS },
    enqueuedBy: 'mac-b',
    ...overrides,
  };
}

test('checkTeamJob: a malformed payload and an output folder linked out of the outbox are refused; a missing file is handed back', () => {
  const config = testConfig();
  const inbox = config.inboxes[0]!;
  mkdirSync(inbox, { recursive: true });
  mkdirSync(config.outbox, { recursive: true });
  writeFileSync(join(inbox, 'talk.wav'), 'x');
  assert.equal(checkTeamJob(config, job()).ok, true);
  assert.deepEqual(checkTeamJob(config, job({ relPath: 'not-here.wav' })), { ok: false, missing: true });
  for (const bad of [
    { outputRel: '../escaped' },
    { sha256: 'not a hash' },
    { settings: null as unknown as Record<string, unknown> },
    { relPath: 42 as unknown as string },
  ]) {
    const r = checkTeamJob(config, job(bad));
    assert.ok(!r.ok && !r.missing && /malformed/.test(r.refused), JSON.stringify(bad));
  }
  const away = tempDir();
  symlinkSync(away, join(config.outbox, 'linked'));
  const r = checkTeamJob(config, job({ outputRel: 'linked/deeper/talk' }));
  assert.ok(!r.ok && !r.missing && /output folder is a symbolic link out of the outbox/.test(r.refused));
  mkdirSync(join(inbox, 'a-folder'));
  const dir = checkTeamJob(config, job({ relPath: 'a-folder' }));
  assert.ok(!dir.ok && !dir.missing && /not a regular file/.test(dir.refused));
});

test('settingsFromTeam: values outside the allow-list are named and replaced by this host’s own', () => {
  const local = { ...DEFAULT_SETTINGS, model: 'small', vocabularyFile: '/home/me/terms.txt', vocabulary: ['Mine'] };
  const { settings, notTaken } = settingsFromTeam(local, {
    model: '../models/x',
    language: 'en; rm -rf /',
    speakers: 10_000,
    vocabulary: ['x'.repeat(201)],
    task: ['transcribe', 'translate'],
    vad: false,
    output: { beside: true, languageSuffix: '639-2' },
    alignModel: '/tmp/align',
  });
  assert.deepEqual(notTaken.sort(), ['language', 'model', 'speakers', 'vocabulary']);
  assert.equal(settings.model, 'small');
  assert.deepEqual(settings.vocabulary, ['Mine']);
  assert.equal(settings.vocabularyFile, '/home/me/terms.txt');
  assert.deepEqual(settings.task, ['transcribe', 'translate']);
  assert.equal(settings.vad, false);
  assert.deepEqual(settings.output, { beside: false, languageSuffix: '639-2' });
  assert.equal(settings.alignModel, null);
});

test('KNOWN_MODELS holds every short name the mlx backend maps (asr/mlx.py)', () => {
  const mlx = readFileSync(join(REPO, 'python', 'dropscribe_stages', 'asr', 'mlx.py'), 'utf8');
  const table = /MLX_REPOS = \{([^}]*)\}/.exec(mlx)![1]!;
  const names = [...table.matchAll(/"([^"]+)":/g)].map((m) => m[1]!);
  assert.ok(names.length >= 5);
  for (const n of names) assert.ok((KNOWN_MODELS as readonly string[]).includes(n), n);
});
