// Requests in flight to a transcription server (backends.openai.concurrency over all jobs): a scheduler whose budget
// counts requests, not bytes, so a server's limit never takes from the local memory budget.
import type { Logger } from '../platform/log.js';
import { MemoryScheduler } from './scheduler.js';

/** One slot per request; `admit(label, SERVER_REQUEST, false, signal)` takes one. */
export const SERVER_REQUEST = 1;

export function serverSlots(concurrency: number, log: Logger): MemoryScheduler {
  return new MemoryScheduler(concurrency * SERVER_REQUEST, log.child({ slots: 'server' }));
}
