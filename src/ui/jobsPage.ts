// One page of the queue as the page shows it (newest first, with the counts and where the next page starts): what
// `GET /api/jobs` answers, and what index.html carries so the first screen needs no second round trip.
import { z } from 'zod';
import { JOB_STATES } from '../core/jobStates.js';
import type { UiContext } from './context.js';
import { uiJobView } from './views.js';

export const PAGE_SIZE = { default: 100, max: 500 } as const;

export const PageParams = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().positive().max(PAGE_SIZE.max).default(PAGE_SIZE.default),
  state: z.enum(JOB_STATES).optional(),
});
export type PageParams = z.infer<typeof PageParams>;

export function readJobsPage(ctx: Pick<UiContext, 'pages' | 'counts'>, q: PageParams = PageParams.parse({})) {
  const jobs = ctx.pages.page({ beforeId: q.before, limit: q.limit, state: q.state });
  const last = jobs.at(-1);
  return {
    jobs: jobs.map(uiJobView),
    counts: ctx.counts.get(),
    nextBefore: jobs.length === q.limit && last ? last.id : null,
  };
}

/** JSON that is safe inside an HTML <script> element: no `<` (so no `</script>` from a file name), no line
 * separators that old parsers stop at. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
