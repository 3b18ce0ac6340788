import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERROR_CODES, EXIT, type ErrorCode } from '../../../src/core/contract.js';
import { kindFromCode, kindFromExit, kindFromSignal, StageError } from '../../../src/stages/stageError.js';

const context = { jobId: 1, file: '/in/a.wav', stage: 'transcribe', elapsedMs: 10 };

test('exit statuses and error codes map to kinds through the contract', () => {
  assert.equal(kindFromExit(EXIT.badInput, 'bad_input'), 'bad-input');
  assert.equal(kindFromExit(EXIT.badInput, 'no_audio'), 'no-audio');
  assert.equal(kindFromExit(EXIT.config, 'config'), 'config');
  assert.equal(kindFromExit(EXIT.temporary, undefined), 'temporary');
  assert.equal(kindFromExit(EXIT.bug, 'bug'), 'bug');
  assert.equal(kindFromExit(1, undefined), 'bug', 'an unknown status is a bug');
  assert.equal(kindFromSignal('SIGKILL'), 'oom');
  assert.equal(kindFromSignal('SIGSEGV'), 'crashed');
});

test('a warm worker error code is classified like the exit that goes with it', () => {
  const expected: Record<ErrorCode, string> = {
    bad_input: 'bad-input',
    no_audio: 'no-audio',
    temporary: 'temporary',
    disk_full: 'disk-full',
    config: 'config',
    bug: 'bug',
  };
  for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) assert.equal(kindFromCode(code), expected[code], code);
  assert.equal(kindFromCode('something-new'), 'bug');
});

test('an error code may be retried exactly when the kind it becomes may be', () => {
  for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
    assert.equal(ERROR_CODES[code].retryable, new StageError(kindFromCode(code), 'x', context).retryable, code);
  }
});

test("the stage's own retryable flag wins over the kind's default", () => {
  assert.equal(new StageError('bug', 'x', context).retryable, true);
  assert.equal(new StageError('bug', 'x', context, false).retryable, false);
  assert.equal(new StageError('temporary', 'x', context, false).retryable, false);
  assert.equal(new StageError('config', 'x', context).retryable, false);
  assert.equal(new StageError('crashed', 'x', context).retryable, true);
});

test('the report names the job, file and stage; a failure that is no one job’s (a config check) leaves them out', () => {
  const report = new StageError('crashed', 'the stage crashed', context).report();
  assert.match(report, /^job: {6}1\nfile: {5}\/in\/a\.wav\nstage: {4}transcribe$/m);
  const config = new StageError('config', 'backends.openai.url is not set', { stage: 'transcribe', elapsedMs: 0 });
  assert.doesNotMatch(config.report(), /job:|file:|\?/);
  assert.match(config.report(), /stage: {4}transcribe/);
});
