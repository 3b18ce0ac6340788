// Shared test setup: paths of the repository, the corpus, fixtures, and a test config in a temp folder.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Config } from '../../src/config/config.js';
import { PACKAGE_ROOT } from '../../src/platform/paths.js';

export const REPO = PACKAGE_ROOT;
export const CORPUS = join(REPO, '..', 'shared', 'corpus');
export const FIXTURES = join(REPO, 'test', 'fixtures');
export const FAKE_STAGES_PATH = join(FIXTURES, 'stages');
export const FAKE_MODULES_PATH = join(FIXTURES, 'pymods');
/** An mlx_whisper that fails to import, hiding python/.venv's real one (test/fixtures/nomlx). */
export const NO_MLX_PATH = join(FIXTURES, 'nomlx');
/** sitecustomize.py that makes transcribe crash on window $FAKE_CRASH_WINDOW (test/fixtures/crash_window). */
export const CRASH_WINDOW_PATH = join(FIXTURES, 'crash_window');

const created: string[] = [];
process.once('exit', () => {
  if (process.env.KEEP_TEST_DIRS) return;
  for (const dir of created) rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
});

/** A fresh temp folder, removed when the test process exits (KEEP_TEST_DIRS=1 keeps them for debugging). */
export function tempDir(prefix = 'dropscribe-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

const TEST_STAGES = { heartbeatSec: 0.5, stallSec: 20, maxAttempts: 2, backoffMs: 50 };
// settleSec: files written just before a test are broken on purpose, not still arriving; report them soon.
const TEST_STABILITY = { quietMs: 600, pollMs: 100, rescanMinutes: 10, settleSec: 3 };

/** A config on fresh temp folders, with fast stability and heartbeat settings; `stages` and `stability` overrides merge into those. */
export function testConfig(overrides: Record<string, unknown> = {}): Config {
  const root = tempDir();
  const { stages, stability, ...rest } = overrides;
  return Config.parse({
    inboxes: [join(root, 'inbox')],
    outbox: join(root, 'outbox'),
    dataDir: join(root, 'data'),
    stability: { ...TEST_STABILITY, ...(stability as object | undefined) },
    stages: { ...TEST_STAGES, ...(stages as object | undefined) },
    housekeeping: { minFreeDiskMb: 0 },
    ui: { enabled: false }, // many test daemons run at once: the web page tests turn it on, on a free port
    ...rest,
  });
}

export interface CorpusEntry {
  file: string;
  durationSec: number;
  language: string;
  reference: string;
}

export function corpus(): CorpusEntry[] {
  const lines = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => {
    const cols = l.split('\t');
    return { file: cols[0]!, durationSec: Number(cols[1]), language: cols[2]!, reference: cols[6]! };
  });
}
