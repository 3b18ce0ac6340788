// Addresses that play a job's recording: an <audio> or <video> element cannot send a Bearer header, so the page is
// given an address signed for one job, with a key this daemon made at start, valid 15 minutes. When it has expired the
// page asks for a new one (web/jobPage.tsx); a restart of the daemon makes every earlier address invalid.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const MEDIA_URL_TTL_MS = 15 * 60_000;

export class MediaUrls {
  private readonly key = randomBytes(32);

  constructor(private readonly now: () => number = Date.now) {}

  /** The address of job `jobId`'s recording, signed until MEDIA_URL_TTL_MS from now. */
  sign(jobId: number): string {
    const exp = Math.ceil((this.now() + MEDIA_URL_TTL_MS) / 1000);
    return `/api/jobs/${jobId}/media?exp=${exp}&sig=${this.mac(jobId, exp)}`;
  }

  /** True when `query` (a request's parsed query) is a signature of job `jobId` that has not expired. */
  verify(jobId: number | undefined, query: unknown): boolean {
    const { exp, sig } = (query ?? {}) as Record<string, unknown>;
    if (jobId === undefined || typeof exp !== 'string' || typeof sig !== 'string' || !/^\d{1,12}$/.test(exp))
      return false;
    if (Number(exp) * 1000 < this.now()) return false;
    const want = Buffer.from(this.mac(jobId, Number(exp)));
    const got = Buffer.from(sig);
    return got.length === want.length && timingSafeEqual(got, want);
  }

  private mac(jobId: number, exp: number): string {
    return createHmac('sha256', this.key).update(`media ${jobId} ${exp}`).digest('base64url');
  }
}
