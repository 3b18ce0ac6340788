// The `backends.openai` config section: an OpenAI-compatible transcription server and its limits (defaults once, here).
import { z } from 'zod';
import { optionalText } from './optionalText.js';

export const OpenAiSettings = z.object({
  url: z
    .string()
    .url()
    .nullable()
    .default(null)
    .describe('base URL as OpenAI clients take it, e.g. http://gpu-box:8000/v1; null: the openai backend is off'),
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
});
export type OpenAiSettings = z.infer<typeof OpenAiSettings>;
export const DEFAULT_OPENAI: OpenAiSettings = OpenAiSettings.parse({});
