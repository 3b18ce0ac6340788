// The input stamp a job is made from (its file's path, size and modification time) against the file now: the 'same'
// content, 'changed' (a copy still running, a re-save) or 'gone' (moved away or deleted). A job's end and a
// duplicate's publishing read it (output/jobEnd.ts decides what each state means).
import { statSync, type Stats } from 'node:fs';

/** What a job recorded of its input when it was made. */
export interface InputStamp {
  input: string;
  size: number;
  /** Rounded to the millisecond, as the job row keeps it. */
  mtimeMs: number;
}

export type InputState = 'same' | 'changed' | 'gone';

/** Whether the input still holds what its job was made from: 'same' size and modification time, 'changed' or
 * 'gone'. */
export function inputState(stamp: InputStamp): InputState {
  let st: Stats;
  try {
    st = statSync(stamp.input);
  } catch {
    return 'gone';
  }
  return st.size !== stamp.size || Math.round(st.mtimeMs) !== stamp.mtimeMs ? 'changed' : 'same';
}

/** True when the input changed since its job was made: its transcript must not be published. A file moved away
 * after intake has not changed. */
export function changedSinceIntake(stamp: InputStamp): boolean {
  return inputState(stamp) === 'changed';
}
