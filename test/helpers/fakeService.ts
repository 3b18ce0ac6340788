// A temp HOME with the fake launchctl and systemctl (test/fixtures/bin) first on PATH, logging their calls.
import { join } from 'node:path';
import { FIXTURES, tempDir } from './env.js';

/** The environment for `dropscribe install` and friends under `kind`; `extra` variables are added. */
export function fakeServiceEnv<E extends Record<string, string>>(kind: 'launchd' | 'systemd', extra: E = {} as E) {
  const home = tempDir();
  return {
    home,
    env: {
      HOME: home,
      DROPSCRIBE_SERVICE: kind,
      PATH: `${join(FIXTURES, 'bin')}:${process.env.PATH}`,
      FAKE_LAUNCHCTL_LOG: join(home, 'launchctl.log'),
      FAKE_LAUNCHCTL_STATE: join(home, 'loaded'),
      FAKE_SYSTEMCTL_LOG: join(home, 'systemctl.log'),
      XDG_CONFIG_HOME: '',
      ...extra,
    },
  };
}
