// `dropscribe export JOB... | --all [--since DATE] [--folder F] --format docx,md [--to DIR]`: render finished jobs
// again from their stored transcripts, with the user's corrections and speaker names, in any format.
import { Command, Option } from 'commander';
import { mkdirSync } from 'node:fs';
import { FORMATS, type Format } from '../../config/config.js';
import { noDatabase, openExistingStore, resolveConfig, withCommon, type CommonOpts } from '../common.js';

interface ExportOpts extends CommonOpts {
  all?: boolean;
  since?: string;
  folder?: string;
  format: string;
  to?: string;
}

/** The formats of --format docx,md; an unknown one is an error naming the known ones. */
export function parseFormats(list: string): Format[] {
  const names = list
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((f) => !(FORMATS as readonly string[]).includes(f));
  if (unknown.length || !names.length)
    throw new Error(`unknown format ${unknown.join(', ') || '(none)'}: choose from ${FORMATS.join(', ')}`);
  return [...new Set(names)] as Format[];
}

/** --since: a date (2026-12-01) or a date and time, read as local time unless it says otherwise. */
function parseSince(text: string): number {
  const t = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00` : text).getTime();
  if (Number.isNaN(t)) throw new Error(`--since ${text} is not a date (for example 2026-12-01)`);
  return t;
}

export function addExportCommand(program: Command): void {
  withCommon(
    program
      .command('export')
      .description('render finished jobs again from their stored transcripts (corrections and speaker names kept)'),
  )
    .argument('[jobs...]', 'job ids')
    .option('--all', 'every finished job (with --since and --folder: those that match)')
    .option('--since <date>', 'with --all: jobs finished on or after this date')
    .option('--folder <folder>', 'with --all: jobs of recordings in this folder (inbox-relative or absolute)')
    .addOption(new Option('--format <list>', `formats, comma-separated: ${FORMATS.join(', ')}`).makeOptionMandatory())
    .option('--to <dir>', "write into this folder (created when missing) instead of over the job's published files")
    .action(async (ids: string[], opts: ExportOpts) => {
      if (opts.all === ids.length > 0) throw new Error('name the jobs to export, or --all (not both)');
      if (!opts.all && (opts.since || opts.folder)) throw new Error('--since and --folder go with --all');
      const bad = ids.find((id) => !/^\d+$/.test(id));
      if (bad) throw new Error(`${bad} is not a job id`);
      const formats = parseFormats(opts.format);
      const since = opts.since ? parseSince(opts.since) : undefined;
      // Loaded here: the renderers are not for every command's start.
      const { exportJobs } = await import('../../output/export.js');
      const r = resolveConfig(opts);
      const jobs = openExistingStore(r);
      if (!jobs) {
        console.log(`nothing to export: ${noDatabase(r)}`);
        process.exitCode = 1;
        return;
      }
      try {
        if (opts.to) mkdirSync(opts.to, { recursive: true });
        const outcomes = exportJobs(r.config, jobs, {
          jobs: opts.all ? 'all' : ids.map(Number),
          since,
          folder: opts.folder,
          formats,
          to: opts.to,
        });
        let failed = 0;
        for (const o of outcomes) {
          if ('problem' in o) {
            failed++;
            console.log(o.problem);
          } else console.log(`job ${o.job}: ${o.written.join(', ')}${o.note ? ` (${o.note})` : ''}`);
        }
        if (!outcomes.length) console.log('no finished job matches');
        console.log(`exported ${outcomes.length - failed} of ${outcomes.length} jobs`);
        process.exitCode = failed ? 1 : 0;
      } finally {
        jobs.db.close();
      }
    });
}
