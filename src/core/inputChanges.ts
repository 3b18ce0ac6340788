// What becomes of a job whose file changed or went away under it, in the words status and the outputs show.

/** Why the job of a file that changed under it ends: its outputs would not match the file. */
export const CHANGED_REASON =
  'the file changed while it was transcribed: nothing was published; its new content has a job of its own';

/** What a job whose file went away (deleted, or moved out of the inbox) after it was read notes in its outputs. */
export const GONE_NOTE =
  'the file was deleted or moved away while it was transcribed: this transcript is of the recording as it was read';
