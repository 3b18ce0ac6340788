// The part of the contract for the openai backend: the server a transcribe request names, and the answer of an
// OpenAI-compatible server that the stage checks (src/core/contract.ts puts both in the generated schema).
import { z } from 'zod';

/** An OpenAI-compatible transcription server (backend `openai`); the API key reaches the stage in its environment. */
export const ServerTarget = z.object({
  url: z.string().min(1).describe('base URL as OpenAI clients take it, e.g. http://gpu-box:8000/v1'),
  model: z.string().min(1).describe("the server's model name"),
  timeoutSec: z.number().positive().describe('one request may take this long'),
  prompt: z.string().nullable().describe('vocabulary or context sent as the prompt, before the previous words'),
});

// The answer of an OpenAI-compatible server (response_format verbose_json). Loose objects: servers add fields of
// their own (task, id, tokens, temperature).
const ServerWord = z.looseObject({ word: z.string(), start: z.number().finite(), end: z.number().finite() });
export const ServerTranscription = z.looseObject({
  text: z.string(),
  language: z.string().optional(),
  duration: z.number().finite().nonnegative().optional(),
  segments: z.array(
    z.looseObject({
      start: z.number().finite(),
      end: z.number().finite(),
      text: z.string(),
      avg_logprob: z.number().finite().nullable().optional(),
      compression_ratio: z.number().finite().nullable().optional(),
      no_speech_prob: z.number().finite().nullable().optional(),
      words: z.array(ServerWord).nullable().optional().describe('some servers put the words in the segments'),
    }),
  ),
  words: z.array(ServerWord).nullable().optional().describe('OpenAI puts them beside the segments'),
});
export type ServerTranscription = z.infer<typeof ServerTranscription>;
