// The `backends.openai` config section: an OpenAI-compatible transcription server and its limits (defaults once, here).
import { z } from 'zod';
import { optionalText } from './optionalText.js';

/** Why an API key may not go to `url`: in clear (http://) to another machine. Null when it may (https, loopback). */
export function keyInClearProblem(url: string | null): string | null {
  if (!url || !URL.canParse(url)) return null; // not a URL: the url field says so
  const { protocol, hostname } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '');
  const loopback =
    host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '::1';
  if (protocol === 'https:' || loopback) return null;
  return (
    `the API key would go in clear to ${host} (${protocol}//): set backends.openai.url to an https:// address, ` +
    'reach the server through an ssh tunnel on 127.0.0.1, or give no key (a server on your network that needs none)'
  );
}

export const OpenAiSettings = z
  .object({
    url: z
      .string()
      .url()
      .nullable()
      .default(null)
      .describe(
        'base URL as OpenAI clients take it, e.g. https://gpu-box:8000/v1; null: the openai backend is off. A key ' +
          'goes only over https or to this machine (http://127.0.0.1:8000/v1)',
      ),
    model: z.string().min(1).default('whisper-1').describe("the server's model name"),
    concurrency: z
      .number()
      .int()
      .positive()
      .default(2)
      .describe('requests in flight to the server at once, over all jobs (not the local memory budget)'),
    timeoutSec: z.number().positive().default(600).describe('one window may take this long on the server'),
    fallback: z
      .enum(['auto', 'faster-whisper', 'mlx'])
      .nullable()
      .default('auto')
      .describe('the local backend that takes the windows the server could not do; null: fail instead'),
    prompt: optionalText('vocabulary (names, terms) sent as the prompt with every window'),
    keyFile: optionalText('a file (mode 600) with an OPENAI_API_KEY=... line'),
    keychain: z.boolean().default(false).describe('read the key from the macOS Keychain item dropscribe/openai'),
  })
  .superRefine((s, ctx) => {
    const problem = s.keyFile || s.keychain ? keyInClearProblem(s.url) : null;
    if (problem) ctx.addIssue({ code: 'custom', path: ['url'], message: problem });
  });
export type OpenAiSettings = z.infer<typeof OpenAiSettings>;
export const DEFAULT_OPENAI: OpenAiSettings = OpenAiSettings.parse({});
