// The slots of the transcription server (backends.openai.concurrency requests in flight over all jobs).
import type { Logger } from '../platform/log.js';
import { RequestSlots } from './requestSlots.js';

/** `take(label, signal)` takes one slot. */
export function serverSlots(concurrency: number, log: Logger): RequestSlots {
  return new RequestSlots(concurrency, log.child({ slots: 'server' }));
}
