// Request slots: at most `limit` requests in flight, the next one admitted when one is released, a wait canceled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../../src/platform/log.js';
import { RequestSlots } from '../../../src/resources/requestSlots.js';

test('at most `limit` requests are in flight; a release lets the next one in, in turn', async () => {
  const slots = new RequestSlots(2, silentLogger);
  const first = await slots.take('one');
  await slots.take('two');
  let third = false;
  const waiting = slots.take('three').then((release) => ((third = true), release));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual([slots.inFlight, third], [2, false]);
  first();
  await waiting;
  assert.deepEqual([slots.inFlight, third, slots.limit], [2, true, 2]);
});

test('a request canceled while it waits for a slot takes none', async () => {
  const slots = new RequestSlots(1, silentLogger);
  await slots.take('busy');
  const controller = new AbortController();
  const waiting = slots.take('canceled', controller.signal);
  controller.abort();
  await assert.rejects(waiting, /canceled/);
  assert.equal(slots.inFlight, 1);
});

test('a release called twice frees one slot', async () => {
  const slots = new RequestSlots(2, silentLogger);
  const first = await slots.take('one');
  await slots.take('two');
  first();
  first();
  assert.equal(slots.inFlight, 1);
});
