// `dropscribe setup`: build or rebuild the Python stage environment, with progress; `start` runs it when the environment is missing.
import type { Command } from 'commander';
import type { Config } from '../../config/config.js';
import { DEFAULT_PYTHON, isUpToDate, pythonEnvLocation } from '../../platform/python/location.js';
import { setupPython } from '../../platform/python/setup.js';

export function addSetupCommand(program: Command): void {
  program
    .command('setup')
    .description('build the Python stage environment and the offline models (npm install runs it)')
    .option('--force', 'build it again even when it is up to date')
    .action((opts: { force?: boolean }) => {
      setupPython({ force: opts.force });
    });
}

/** Before the daemon starts: build the default environment when it is missing or stale (a postinstall npm did not run). */
export function ensurePythonFor(config: Config, say: (line: string) => void): void {
  if (config.python !== DEFAULT_PYTHON) return;
  const location = pythonEnvLocation();
  if (isUpToDate(location)) return;
  say(`the Python stage environment is missing or out of date: building it now (${location.dir})`);
  setupPython({ location });
}
