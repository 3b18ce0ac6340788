// What a team job from another host may ask of this one. Its paths are checked (inbox- and outbox-relative, no way
// out, no link out of the inbox), and of its settings only an allow-list of transcript settings is taken: anything
// that names a path, a download or where outputs are written comes from this host's own config and folder rules.
import { realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { AlignMode, LanguageMismatch } from '../core/contract.js';
import {
  Format,
  isInside,
  JobTask,
  OutputSettings,
  settingsFor,
  type Config,
  type JobSettings,
} from '../config/config.js';
import type { TeamJobData } from './teamJob.js';

/** Model names the stages resolve without a path or a repository of the sender's choosing: faster-whisper's sizes
 * (its fixed Systran repositories) and the mlx backend's table (python/dropscribe_stages/asr/mlx.py). */
export const KNOWN_MODELS = [
  'tiny',
  'tiny.en',
  'base',
  'base.en',
  'small',
  'small.en',
  'medium',
  'medium.en',
  'large-v1',
  'large-v2',
  'large-v3',
  'large',
  'large-v3-turbo',
  'turbo',
  'distil-small.en',
  'distil-medium.en',
  'distil-large-v2',
  'distil-large-v3',
  'distil-large-v3.5',
] as const;

/** Why a path exchanged between hosts is not a plain relative path, or undefined when it is one. */
export function relPathProblem(p: string): string | undefined {
  if (p.length === 0) return 'is empty';
  if (p.includes('\0')) return 'holds a NUL byte';
  if (p.includes('\\')) return 'holds a backslash (hosts exchange paths with / only)';
  if (isAbsolute(p) || /^[A-Za-z]:/.test(p)) return 'is absolute';
  const parts = p.split('/');
  if (parts.includes('..')) return 'climbs out of its folder with ..';
  if (parts.some((part) => part === '' || part === '.')) return 'has an empty or . part';
  if (parts.some((part) => Buffer.byteLength(part) > 255)) return 'has a name longer than 255 bytes';
  return undefined;
}

/** An inbox- or outbox-relative path as hosts exchange it. */
const RelPath = z
  .string()
  .max(4096)
  .superRefine((p, ctx) => {
    const problem = relPathProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The payload of a team job as another host wrote it (the fields this host reads). */
export const TeamJobMessage = z.object({
  relPath: RelPath,
  inboxIndex: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  outputRel: RelPath,
  settings: z.record(z.string(), z.unknown()),
  enqueuedBy: z.string().max(255),
  published: z
    .array(z.object({ rel: RelPath, sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().nonnegative() }))
    .max(200)
    .optional()
    .catch(undefined), // a malformed list only loses what it would have told
});

/** The settings another host may choose for a job run here, each with why it is safe to take:
 * - language, languages, task, languageMismatch, vad, align, separate: choices among fixed values, read by the stages
 *   only;
 * - model: a name from KNOWN_MODELS, never a path (a file here) or a repository (a download of the sender's choice);
 * - vocabulary: terms (text) the recognizer is prompted with, bounded; never the vocabularyFile path;
 * - speakers: off, auto or a bounded count;
 * - audioStream: which stream of the recording itself is decoded;
 * - formats and output.languageSuffix: which files are written under the team's output name, in the outbox.
 * Never taken: backend (this host's hardware, and whether audio leaves it for a server), alignModel and
 * separateModel (paths or repositories), vocabularyFile (a path), output.beside (writing into the watched folder). */
const FROM_ANOTHER_HOST = {
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$/)
    .nullable(),
  languages: z.array(z.string().regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$/)).max(20),
  task: JobTask,
  model: z.enum(KNOWN_MODELS),
  vad: z.boolean(),
  align: AlignMode,
  separate: z.boolean(),
  audioStream: z.number().int().nonnegative().max(255).nullable(),
  languageMismatch: LanguageMismatch,
  vocabulary: z.array(z.string().trim().min(1).max(200)).max(2000),
  speakers: z.union([
    z.enum(['auto', 'off']),
    z.number().int().positive().max(64),
    z.object({ min: z.number().int().positive().max(64), max: z.number().int().positive().max(64) }).strict(),
  ]),
  formats: z.array(Format).min(1).max(Format.options.length),
} satisfies Partial<Record<keyof JobSettings, z.ZodType>>;
const OUTPUT_FROM_ANOTHER_HOST = { languageSuffix: OutputSettings.shape.languageSuffix.unwrap() };

/** This host's settings for the file with the allowed settings of the sender on top; `notTaken` names the sender's
 * settings that were left out because their value is not allowed (settings outside the allow-list are ignored). */
export function settingsFromTeam(
  local: JobSettings,
  sent: Record<string, unknown>,
): { settings: JobSettings; notTaken: string[] } {
  const taken: Record<string, unknown> = {};
  const notTaken: string[] = [];
  for (const [key, schema] of Object.entries(FROM_ANOTHER_HOST)) {
    if (!(key in sent)) continue;
    const r = (schema as z.ZodType).safeParse(sent[key]);
    if (r.success) taken[key] = r.data;
    else notTaken.push(key);
  }
  const output = { ...local.output };
  const sentOutput = sent.output;
  if (sentOutput && typeof sentOutput === 'object' && 'languageSuffix' in sentOutput) {
    const r = OUTPUT_FROM_ANOTHER_HOST.languageSuffix.safeParse(sentOutput.languageSuffix);
    if (r.success) output.languageSuffix = r.data;
    else notTaken.push('output.languageSuffix');
  }
  return { settings: { ...local, ...taken, output } as JobSettings, notTaken };
}

export type TeamJobCheck =
  | {
      ok: true;
      inbox: string;
      input: string;
      outputStem: string;
      settings: JobSettings;
      notTaken: string[];
      /** What was published for this file before (a retry): absolute paths inside the outbox, with their hashes. */
      published: { path: string; sha256: string; size: number }[];
    }
  /** The file is not in this host's inbox (yet): hand the job back. */
  | { ok: false; missing: true }
  /** The job asks for something this host never does: fail it with this reason. */
  | { ok: false; missing?: false; refused: string };

/** Check a team job before this host runs it: its payload, where its file and its outputs are, its settings. */
export function checkTeamJob(config: Config, job: TeamJobData): TeamJobCheck {
  const parsed = TeamJobMessage.safeParse(job);
  if (!parsed.success) return { ok: false, refused: `the team job is malformed (${describe(parsed.error)})` };
  const t = parsed.data;
  const inbox = config.inboxes[t.inboxIndex] ?? config.inboxes[0]!;
  const input = join(inbox, ...t.relPath.split('/'));
  const outputStem = join(config.outbox, ...t.outputRel.split('/'));
  if (!isInside(inbox, input) || !isInside(config.outbox, outputStem))
    return { ok: false, refused: 'its path leads out of the inbox or the outbox' };
  let real: string;
  try {
    real = realpathSync(input);
  } catch {
    return { ok: false, missing: true };
  }
  if (!config.inboxes.some((i) => isInside(realpathOrSelf(i), real)))
    return {
      ok: false,
      refused: 'its file is a symbolic link out of the inbox; dropscribe only reads files inside its inboxes',
    };
  if (!statSync(real).isFile()) return { ok: false, refused: 'its file is not a regular file' };
  const outFolder = existingAncestor(dirname(outputStem), config.outbox);
  if (outFolder && !isInside(realpathOrSelf(config.outbox), realpathOrSelf(outFolder)))
    return { ok: false, refused: 'its output folder is a symbolic link out of the outbox' };
  const { settings, notTaken } = settingsFromTeam(settingsFor(config, inbox, input), t.settings);
  const published = (t.published ?? [])
    .map((f) => ({ path: join(config.outbox, ...f.rel.split('/')), sha256: f.sha256, size: f.size }))
    .filter((f) => isInside(config.outbox, f.path));
  return { ok: true, inbox, input, outputStem, settings, notTaken, published };
}

/** The deepest folder from `dir` up to `stop` that exists (undefined when not even `stop` does). */
function existingAncestor(dir: string, stop: string): string | undefined {
  for (let at = dir; isInside(stop, at); at = dirname(at)) {
    try {
      statSync(at);
      return at;
    } catch {
      if (resolve(at) === resolve(stop)) return undefined;
    }
  }
  return undefined;
}

function realpathOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function describe(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || 'payload'} ${i.message}`).join('; ');
}
