// Linux: the same commands manage a systemd user unit.
import { execa } from 'execa';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomicWrite.js';
import { DAEMON_NODE_FLAGS } from '../nodeFlags.js';
import { PACKAGE_ROOT } from '../paths.js';
import type { ServiceManager, ServicePaths, ServiceState } from './types.js';

const UNIT = 'dropscribe.service';
const TEMPLATE = join(PACKAGE_ROOT, 'launchd', UNIT);

export class SystemdService implements ServiceManager {
  readonly kind = 'systemd' as const;
  readonly definitionPath: string;

  constructor(home: string, env = process.env) {
    this.definitionPath = join(env.XDG_CONFIG_HOME || join(home, '.config'), 'systemd', 'user', UNIT);
  }

  render(p: ServicePaths): string {
    const vars: Record<string, string> = {
      NODE: p.node,
      NODE_FLAGS: DAEMON_NODE_FLAGS.join(' '),
      BIN: p.bin,
      CONFIG: p.config,
      DATA_DIR: p.dataDir,
      LOG_DIR: p.logDir,
    };
    return readFileSync(TEMPLATE, 'utf8').replace(/@([A-Z_]+)@/g, (m, k: string) => vars[k] ?? m);
  }

  async install(p: ServicePaths): Promise<string[]> {
    writeFileAtomic(this.definitionPath, this.render(p), 0o644);
    await this.systemctl(['daemon-reload']);
    await this.systemctl(['enable', UNIT]);
    await this.systemctl(['restart', UNIT]);
    return [`wrote ${this.definitionPath}`, `enabled and started ${UNIT}`];
  }

  async uninstall(): Promise<string[]> {
    if (!existsSync(this.definitionPath)) return ['nothing to do: the unit was not installed'];
    await this.systemctl(['disable', '--now', UNIT]);
    rmSync(this.definitionPath);
    await this.systemctl(['daemon-reload']);
    return [`stopped and removed ${this.definitionPath}`];
  }

  async restart(): Promise<string[]> {
    await this.systemctl(['restart', UNIT]);
    return [`restarted ${UNIT}`];
  }

  async state(): Promise<ServiceState> {
    const installed = existsSync(this.definitionPath);
    const r = await execa('systemctl', ['--user', 'show', UNIT, '--property=ActiveState,MainPID,LoadState'], {
      reject: false,
    });
    const prop = (k: string) => new RegExp(`^${k}=(.*)$`, 'm').exec(r.stdout)?.[1];
    const active = prop('ActiveState') ?? 'unknown';
    const pid = Number(prop('MainPID')) || undefined;
    return {
      installed,
      loaded: prop('LoadState') === 'loaded',
      running: active === 'active',
      pid,
      detail: `systemd: ${active}`,
    };
  }

  logsCommand(_p: ServicePaths, follow: boolean): string[] {
    return ['journalctl', '--user', '-u', UNIT, '-n', '200', ...(follow ? ['-f'] : [])];
  }

  private async systemctl(args: string[]) {
    const r = await execa('systemctl', ['--user', ...args], { reject: false });
    if (r.exitCode !== 0)
      throw new Error(`systemctl --user ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim()}`);
  }
}
