// Doctor checks of the install itself: better-sqlite3's native binary, and where the Python environment is and whether it matches.
import type { Config } from '../config/config.js';
import { DEFAULT_PYTHON, isUpToDate, pythonEnvLocation } from '../platform/python/location.js';
import { sqliteBindingProblem } from '../store/sqliteBinding.js';
import type { Check } from './check.js';

export function checkSqliteBinding(problem = sqliteBindingProblem()): Check {
  if (!problem) return { name: 'sqlite', ok: true, detail: 'better-sqlite3 native binary loads' };
  const [detail, fix] = problem.split(' Fix: ');
  return { name: 'sqlite', ok: false, detail: detail ?? problem, fix };
}

/** The default environment's place and stamp; a config naming its own `python` is reported as such. */
export function checkPythonEnv(config: Config, location = pythonEnvLocation()): Check {
  if (config.python !== DEFAULT_PYTHON) {
    return { name: 'python env', ok: true, detail: `the config's own Python: ${config.python}` };
  }
  const where = `${location.dir} (${location.kind === 'clone' ? "the clone's python/.venv" : 'user data folder'})`;
  const ok = isUpToDate(location);
  return {
    name: 'python env',
    ok,
    detail: ok ? `${where}, matches this version` : `${where}: missing or built for another version`,
    fix: ok ? undefined : 'run `dropscribe setup` (`dropscribe start` also builds it when it is missing)',
  };
}
