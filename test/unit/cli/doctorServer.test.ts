// doctor's server checks against a test double on 127.0.0.1: the key's source (never the key), the model list, the
// one-second test request checked against the contract's verbose_json schema, a refused key and a server that is down.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { test } from 'node:test';
import { Config } from '../../../src/config/config.js';
import { openaiDoctorChecks, silentWav } from '../../../src/cli/doctorServer.js';

const ANSWER = { text: '', language: 'en', duration: 1, segments: [] };

async function double(handle: (path: string, auth: string | undefined) => [number, unknown]): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const [status, body] = handle(req.url ?? '', req.headers.authorization);
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as { port: number }).port}/v1`;
const config = (url: string, model = 'large-v3') => Config.parse({ backends: { openai: { url, model } } });
const close = (s: Server) => new Promise((resolve) => s.close(resolve));

test('a server that lists the model and answers the test request passes; the key is never shown', async () => {
  const server = await double((path, auth) => {
    if (auth !== 'Bearer sk-secret') return [401, { error: 'bad key' }];
    return path === '/v1/models' ? [200, { data: [{ id: 'large-v3' }] }] : [200, ANSWER];
  });
  const checks = await openaiDoctorChecks(config(urlOf(server)), { OPENAI_API_KEY: 'sk-secret' });
  await close(server);
  assert.deepEqual(
    checks.map((c) => [c.name, c.ok]),
    [
      ['openai key', true],
      ['openai server', true],
      ['openai test', true],
    ],
  );
  assert.equal(checks[0]!.detail, 'from env');
  assert.ok(!JSON.stringify(checks).includes('sk-secret'));
});

test('a refused key, a model not listed and an answer that is no transcription say how to fix them', async () => {
  const refusing = await double(() => [401, { error: 'bad key' }]);
  const refused = await openaiDoctorChecks(config(urlOf(refusing)), { OPENAI_API_KEY: 'sk-wrong' });
  await close(refusing);
  assert.equal(refused[1]!.ok, false);
  assert.match(refused[1]!.fix!, /OPENAI_API_KEY/);

  const odd = await double((path) => (path === '/v1/models' ? [200, { data: [{ id: 'base' }] }] : [200, { x: 1 }]));
  const checks = await openaiDoctorChecks(config(urlOf(odd)), {});
  await close(odd);
  assert.match(checks[1]!.detail, /model large-v3 is not listed; the server offers base/);
  assert.equal(checks[2]!.ok, false);
  assert.match(checks[2]!.detail, /not a verbose_json transcription/);
});

test('a server without a model list is reachable; one that is down fails; no URL, no checks', async () => {
  const plain = await double((path) => (path === '/v1/models' ? [404, { detail: 'Not Found' }] : [200, ANSWER]));
  const url = urlOf(plain);
  const checks = await openaiDoctorChecks(config(url), {});
  await close(plain);
  assert.match(checks[1]!.detail, /reachable; it lists no models \(HTTP 404\)/);
  assert.equal(checks[2]!.ok, true);
  const down = await openaiDoctorChecks(config(url), {});
  assert.equal(down[1]!.ok, false);
  assert.match(down[1]!.detail, /cannot reach/);
  assert.deepEqual(await openaiDoctorChecks(Config.parse({}), {}), []);
  assert.equal(silentWav(1).length, 44 + 32_000);
});
