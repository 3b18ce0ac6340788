// The service manager for this platform, and the absolute paths an installed agent runs with.
import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT, standardDirs } from '../paths.js';
import { LaunchdService } from './launchd.js';
import { SystemdService } from './systemd.js';
import type { ServiceManager, ServicePaths } from './types.js';

export type { ServiceManager, ServicePaths };

export function serviceFor(os: NodeJS.Platform = platform(), home = homedir()): ServiceManager {
  return os === 'darwin' ? new LaunchdService(home) : new SystemdService(home);
}

export function installedPaths(os: NodeJS.Platform = platform(), home = homedir()): ServicePaths {
  const dirs = standardDirs(os, home);
  return {
    node: process.execPath,
    bin: join(PACKAGE_ROOT, 'bin', 'dropscribe.js'),
    config: join(dirs.config, 'config.json'),
    dataDir: dirs.data,
    logDir: dirs.logs,
    home,
  };
}
