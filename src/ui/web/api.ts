// The page's calls to the daemon's JSON API (same origin; the session travels as a Bearer header, session.ts).
import type { SpeakerInfo } from '../../core/contract.js';
import type { JobState } from '../../core/jobStates.js';
import { authHeaders, endSession } from './session.js';

export interface JobView {
  id: number;
  name: string;
  relPath: string;
  input: string;
  state: JobState;
  stage: string | null;
  progress: number;
  etaSec: number | null;
  error: string | null;
  errorKind: string | null;
  /** A queued job waiting for the outbox, disk space or a settling file: what for, the reason and the fix. */
  waiting: { for: string; reason: string; nextTryAt: number } | null;
  degraded: string[];
  notes: string[];
  outputs: string[];
  audioSec: number | null;
  duplicateOf: number | null;
  media: 'audio' | 'video';
  updatedAt: number;
}

export interface Word {
  word: string;
  start: number;
  end: number;
  probability: number | null;
  speaker?: string;
}
export interface Segment {
  start: number;
  end: number;
  text: string;
  words: Word[];
  speaker?: string;
  language?: string; // set where the recording has turns in more than one language
  weak?: boolean;
}
export type { SpeakerInfo as Speaker } from '../../core/contract.js';
export interface Transcript {
  language: string;
  durationSec: number;
  segments: Segment[];
  speakers?: SpeakerInfo[];
}

export type { SearchHit } from '../../core/searchHit.js';

export type Correction =
  | { kind: 'word'; segment: number; word: number; text: string }
  | { kind: 'segment'; segment: number; text: string }
  | { kind: 'speaker'; id: string; name: string };

/** A JSON call; a refused one throws its plain-words error. */
export async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await signedFetch(path, init);
  const body = (await res.json().catch(() => ({}))) as T & { error?: string };
  if (!res.ok) throw new Error(body.error ?? `${res.status} ${res.statusText}`);
  return body;
}

/** fetch with the session; a 401 ends the session. */
export async function signedFetch(path: string, init?: RequestInit): Promise<Response> {
  const res = await fetch(path, { ...init, credentials: 'omit', headers: { ...authHeaders(), ...init?.headers } });
  if (res.status === 401) endSession();
  return res;
}

export const postJson = <T>(path: string, body?: unknown) =>
  api<T>(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });

/** "1:02:03" or "2:03". */
export function clock(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  const mm = String(Math.floor(s / 60) % 60);
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm.padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}
