// `doctor` checks of the OpenAI-compatible server: where the key comes from (never the key), that the server is
// reachable and lists the model, and a one-second test request whose answer must be a verbose_json transcription.
import { SAMPLE_RATE, ServerTranscription } from '../core/contract.js';
import type { Config } from '../config/config.js';
import { OpenAiKeyError, redactKey, resolveOpenAiKey } from '../stages/openai/openaiKey.js';
import type { Check } from './check.js';

const LIST_TIMEOUT_MS = 10_000;
const TEST_TIMEOUT_MS = 120_000;
const KEY_FIX =
  'set OPENAI_API_KEY for the daemon, or backends.openai.keyFile (a file with OPENAI_API_KEY=..., chmod 600), ' +
  'or backends.openai.keychain';

/** The checks for backends.openai; none while no URL is set. */
export async function openaiDoctorChecks(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<Check[]> {
  const o = config.backends.openai;
  if (!o.url) return [];
  let key: string | null;
  const checks: Check[] = [];
  try {
    const resolved = resolveOpenAiKey(o, env);
    key = resolved.key;
    checks.push({
      name: 'openai key',
      ok: true,
      detail: resolved.key ? `from ${resolved.source}` : 'none (sent without)',
    });
  } catch (err) {
    if (!(err instanceof OpenAiKeyError)) throw err;
    return [{ name: 'openai key', ok: false, detail: err.message, fix: KEY_FIX }];
  }
  const base = o.url.replace(/\/+$/, '');
  const headers: Record<string, string> = key ? { Authorization: `Bearer ${key}` } : {};
  const say = (text: string) => redactKey(text, key);
  try {
    const listed = await fetch(`${base}/models`, { headers, signal: AbortSignal.timeout(LIST_TIMEOUT_MS) });
    checks.push(modelsCheck(listed.status, listed.ok ? await listed.json().catch(() => null) : null, o.model));
  } catch (err) {
    checks.push({
      name: 'openai server',
      ok: false,
      detail: say(`cannot reach ${base} (${(err as Error).cause ?? (err as Error).message})`),
      fix: 'check backends.openai.url (the base URL, such as http://gpu-box:8000/v1) and that the server runs',
    });
    return checks;
  }
  checks.push(await testRequest(base, o.model, headers, say));
  return checks;
}

function modelsCheck(status: number, body: unknown, model: string): Check {
  if (status === 401 || status === 403) {
    return { name: 'openai server', ok: false, detail: `the server refused the key (HTTP ${status})`, fix: KEY_FIX };
  }
  const ids = (body as { data?: { id?: unknown }[] } | null)?.data?.map((m) => String(m.id));
  if (!ids) return { name: 'openai server', ok: true, detail: `reachable; it lists no models (HTTP ${status})` };
  return ids.includes(model)
    ? { name: 'openai server', ok: true, detail: `reachable; model ${model} listed` }
    : {
        name: 'openai server',
        ok: false,
        detail: `model ${model} is not listed; the server offers ${ids.join(', ') || 'none'}`,
        fix: 'set backends.openai.model to one of them',
      };
}

async function testRequest(
  base: string,
  model: string,
  headers: Record<string, string>,
  say: (text: string) => string,
): Promise<Check> {
  const form = new FormData();
  form.append('model', model);
  form.append('model_name', model); // faster-whisper-server 0.0.3 reads this name
  form.append('response_format', 'verbose_json');
  form.append('file', new Blob([new Uint8Array(silentWav(1))], { type: 'audio/wav' }), 'test.wav');
  const started = Date.now();
  try {
    const res = await fetch(`${base}/audio/transcriptions`, {
      method: 'POST',
      headers,
      body: form,
      signal: AbortSignal.timeout(TEST_TIMEOUT_MS),
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (!res.ok) {
      const text = (await res.text()).slice(0, 200);
      const fix = res.status === 401 || res.status === 403 ? KEY_FIX : 'check backends.openai.url and model';
      return { name: 'openai test', ok: false, detail: say(`HTTP ${res.status}: ${text}`), fix };
    }
    const parsed = ServerTranscription.safeParse(await res.json().catch(() => null));
    return parsed.success
      ? { name: 'openai test', ok: true, detail: `1 s of audio transcribed in ${seconds} s (verbose_json)` }
      : {
          name: 'openai test',
          ok: false,
          detail: `the answer is not a verbose_json transcription (${parsed.error.issues[0]?.message})`,
          fix: 'use a server that supports response_format verbose_json',
        };
  } catch (err) {
    return { name: 'openai test', ok: false, detail: say(`the test request failed (${(err as Error).message})`) };
  }
}

/** `seconds` of silence as a 16 kHz mono 16-bit WAV. */
export function silentWav(seconds: number): Buffer {
  const bytes = Math.round(seconds * SAMPLE_RATE) * 2;
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + bytes, 4);
  h.write('WAVE', 8);
  h.write('fmt ', 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(SAMPLE_RATE, 24);
  h.writeUInt32LE(SAMPLE_RATE * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(bytes, 40);
  return Buffer.concat([h, Buffer.alloc(bytes)]);
}
