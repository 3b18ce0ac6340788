// Where things live: the package root (python/, launchd/, config/) and the default data folders.
import { homedir, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout or installed package root (holds python/, launchd/, config/). */
export const PACKAGE_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const PYTHON_DIR = join(PACKAGE_ROOT, 'python');

/** Standard per-user folders for an installed agent: Application Support on macOS, XDG elsewhere. */
export function standardDirs(os: NodeJS.Platform = platform(), home = homedir(), env = process.env) {
  if (os === 'darwin') {
    const support = join(home, 'Library', 'Application Support', 'dropscribe');
    return { config: support, data: support, logs: join(home, 'Library', 'Logs', 'dropscribe') };
  }
  const config = join(env.XDG_CONFIG_HOME || join(home, '.config'), 'dropscribe');
  const data = join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'dropscribe');
  const logs = join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'dropscribe', 'logs');
  return { config, data, logs };
}

/** The platform whose service manager `install` uses: launchd on macOS, systemd elsewhere;
 * DROPSCRIBE_SERVICE=launchd|systemd overrides it (tests fake a Mac on Linux this way). */
export function servicePlatform(env = process.env): NodeJS.Platform {
  const forced = env.DROPSCRIBE_SERVICE;
  return forced === 'launchd' ? 'darwin' : forced === 'systemd' ? 'linux' : platform();
}

/** The config file `dropscribe install` writes and the installed agent starts with. */
export function installedConfigFile(
  os: NodeJS.Platform = servicePlatform(),
  home = homedir(),
  env = process.env,
): string {
  return join(standardDirs(os, home, env).config, 'config.json');
}
