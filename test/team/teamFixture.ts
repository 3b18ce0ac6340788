// Team e2e fixtures: distinct short clips from the corpus, N real daemons (separate data folders) sharing one inbox,
// one outbox and one PostgreSQL schema, and what their logs say about which host took which team job.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../src/config/config.js';
import { CORPUS, tempDir, testConfig } from '../helpers/env.js';
import { DaemonProcess, waitFor, writeConfigFile } from '../helpers/daemonProcess.js';
import { ffmpeg } from '../helpers/ffmpeg.js';
import type { PgCluster } from './pgCluster.js';

const SHORT_CLIPS = ['en_cmu_arctic_a0024.wav', 'en_librispeech_1272-128104-0000.wav', 'jfk.flac'];

/** `n` recordings with distinct content (short English clips, each with its own lead-in of silence) in `dir`. */
export function makeClips(dir: string, n: number): string[] {
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const src = join(CORPUS, SHORT_CLIPS[i % SHORT_CLIPS.length]!);
    const file = join(dir, `clip-${String(i + 1).padStart(2, '0')}.wav`);
    ffmpeg(['-i', src, '-af', `adelay=${100 + i * 37}:all=1`, '-ac', '1', '-ar', '16000', file]);
    files.push(file);
  }
  return files;
}

export interface Team {
  inbox: string;
  outbox: string;
  daemons: DaemonProcess[];
  configs: Config[];
  configFiles: string[];
}

/** `hosts` daemons on one schema of `cluster`, each with its own data folder, one shared inbox and outbox. */
export function startTeam(cluster: PgCluster, schema: string, hosts: number, team: Record<string, unknown> = {}): Team {
  const root = tempDir('dropscribe-team-');
  const inbox = join(root, 'inbox');
  const outbox = join(root, 'outbox');
  const configs: Config[] = [];
  const configFiles: string[] = [];
  const daemons: DaemonProcess[] = [];
  for (let i = 1; i <= hosts; i++) {
    const dir = tempDir();
    const config = testConfig({
      inboxes: [inbox],
      outbox,
      dataDir: join(dir, 'data'),
      job: { model: 'tiny.en', speakers: 'off' }, // sharing the queue is the point, not the model or speakers
      jobs: { concurrency: 1 },
      team: {
        url: cluster.url(),
        host: `mac-${i}`,
        schema,
        heartbeatSec: 10,
        superviseSec: 1,
        pollMs: 250,
        hostBeatSec: 2,
        ...team,
      },
    });
    configs.push(config);
    configFiles.push(writeConfigFile(config, dir));
    const d = new DaemonProcess(configFiles.at(-1)!, { DROPSCRIBE_LOG_LEVEL: 'info' });
    d.start();
    daemons.push(d);
  }
  return { inbox, outbox, daemons, configs, configFiles };
}

export async function waitConnected(t: Team): Promise<void> {
  await waitFor(
    'every daemon connected to the team database',
    () => t.daemons.every((d) => d.output.includes('team database connected')),
    60_000,
  );
}

/** Log lines of one daemon as JSON objects. */
export function logLines(d: DaemonProcess): Record<string, unknown>[] {
  return d.output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return {};
      }
    });
}

/** team job id prefix -> the hosts (daemon indexes) that took it. */
export function takenBy(t: Team): Map<string, number[]> {
  const out = new Map<string, number[]>();
  t.daemons.forEach((d, i) => {
    for (const l of logLines(d)) {
      if (l.msg === 'team job taken') out.set(l.teamJob as string, [...(out.get(l.teamJob as string) ?? []), i]);
    }
  });
  return out;
}

/** Every file in the outbox, relative, sorted (temp and conflict files included, so a test sees them). */
export function outboxFiles(outbox: string): string[] {
  try {
    return (readdirSync(outbox, { recursive: true }) as string[]).sort();
  } catch {
    return [];
  }
}

export function expectedOutputs(n: number): string[] {
  const names: string[] = [];
  for (let i = 1; i <= n; i++)
    for (const ext of ['json', 'srt', 'txt', 'vtt']) names.push(`clip-${String(i).padStart(2, '0')}.${ext}`);
  return names.sort();
}
