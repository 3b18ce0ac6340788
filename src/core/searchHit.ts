// A search hit as the store finds it and the API, `dropscribe ui search` and the web page show it: one source for the
// shape and for the marks around the matched words.

/** The marks SQLite puts around each matched word of a snippet. */
export const SNIPPET_OPEN = '\u0002';
export const SNIPPET_CLOSE = '\u0003';

export interface SearchHit {
  jobId: number;
  relPath: string;
  segment: number;
  start: number;
  /** The segment's text around the match, the matched words between SNIPPET_OPEN and SNIPPET_CLOSE. */
  snippet: string;
}
