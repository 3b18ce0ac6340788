// The slots of the transcription server (backends.openai.concurrency requests in flight over all jobs).
import type { Logger } from '../platform/log.js';
import { ONE_REQUEST, RequestSlots } from './requestSlots.js';

/** One slot per request; `admit(label, SERVER_REQUEST, false, signal)` (or `take(label, signal)`) takes one. */
export const SERVER_REQUEST = ONE_REQUEST;

export function serverSlots(concurrency: number, log: Logger): RequestSlots {
  return new RequestSlots(concurrency, log.child({ slots: 'server' }));
}
