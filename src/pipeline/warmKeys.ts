// Which warm worker serves a stage request (the workers a job will use are in its plan: plan.ts).
import { WARM_STAGES, type RequestFor, type StageName } from '../core/contract.js';

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
