// The states of a job, stated once: the store, the team queue, status, the API and the web page take them from here
// (the SQL CHECKs of the migrations keep their own copy as history).

/** Every state a job is in, in the order a job passes through them. */
export const JOB_STATES = ['queued', 'running', 'done', 'failed', 'canceled'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** The states a job is still to end from: waiting for its turn or being worked on. */
export const ACTIVE_STATES = ['queued', 'running'] as const satisfies readonly JobState[];

/** The states a job has ended in: it can be retried, and housekeeping may forget it. */
export const FINISHED_STATES = ['done', 'failed', 'canceled'] as const satisfies readonly JobState[];
export type FinishedState = (typeof FINISHED_STATES)[number];

/** True for a job still queued or running. */
export function isActive(state: JobState): boolean {
  return (ACTIVE_STATES as readonly JobState[]).includes(state);
}

/** True for a job that has ended (done, failed or canceled). */
export function isFinished(state: JobState): boolean {
  return (FINISHED_STATES as readonly JobState[]).includes(state);
}

const sqlList = (states: readonly JobState[]) => states.map((s) => `'${s}'`).join(', ');

/** The active and the finished states as SQL lists, for `state IN (...)`. */
export const ACTIVE_SQL = sqlList(ACTIVE_STATES);
export const FINISHED_SQL = sqlList(FINISHED_STATES);
