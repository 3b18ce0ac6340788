// Which warm worker serves a stage request, and which workers a job will use (to start them ahead of need).
import type { Config } from '../config/config.js';
import { WARM_STAGES, type RequestFor, type StageName } from '../core/contract.js';
import { asrChain } from '../stages/backends.js';
import type { Job } from '../store/jobs.js';

/** Which warm worker may serve a request: decode, Silero VAD, and faster-whisper per model; never MLX. */
export function warmKeyFor(request: RequestFor<StageName>): string | undefined {
  if (!(WARM_STAGES as readonly StageName[]).includes(request.stage)) return undefined;
  if (request.stage !== 'transcribe') return request.stage;
  if (request.backend !== 'faster-whisper') return undefined;
  return transcribeWarmKey(request.model, request.computeType, request.cpuThreads);
}

export function transcribeWarmKey(model: string, computeType: string, cpuThreads: number): string {
  return `transcribe:${model}:${computeType}:${cpuThreads}`;
}

/** The warm workers a job with these settings will use, to start them while its file is still settling. */
export function warmKeysFor(settings: Job['settings'], config: Config, appleSilicon: boolean): [string, StageName][] {
  const keys: [string, StageName][] = [['decode', 'decode']];
  if (settings.vad) keys.push(['vad', 'vad']);
  if (asrChain(settings.backend, appleSilicon)[0] === 'faster-whisper') {
    keys.push([transcribeWarmKey(settings.model, config.asr.computeType, config.asr.cpuThreads), 'transcribe']);
  }
  return keys;
}
