// macOS LaunchAgent: plist from launchd/ (via the plist package) and launchctl bootstrap/bootout/kickstart/print.
import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomicWrite.js';
import { DAEMON_NODE_FLAGS } from '../nodeFlags.js';
import { build, parse, type PlistValue } from 'plist';
import { PACKAGE_ROOT } from '../paths.js';
import type { ServiceManager, ServicePaths, ServiceState } from './types.js';

export const LABEL = 'com.dropscribe.agent';
const TEMPLATE = join(PACKAGE_ROOT, 'launchd', `${LABEL}.plist`);

/** Replace @NODE@, @BIN@, ... in every string of a parsed plist. */
function fill(value: PlistValue, vars: Record<string, string>): PlistValue {
  if (typeof value === 'string') return value.replace(/@([A-Z_]+)@/g, (m, k: string) => vars[k] ?? m);
  // An array item that is just @NODE_FLAGS@ becomes one item per flag.
  if (Array.isArray(value))
    return value.flatMap((v) => (v === '@NODE_FLAGS@' ? [...DAEMON_NODE_FLAGS] : [fill(v, vars)]));
  if (value && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)]));
  }
  return value;
}

export class LaunchdService implements ServiceManager {
  readonly kind = 'launchd' as const;
  readonly definitionPath: string;
  private readonly domain: string;

  constructor(home: string, uid: number = process.getuid?.() ?? 501) {
    this.definitionPath = join(home, 'Library', 'LaunchAgents', `${LABEL}.plist`);
    this.domain = `gui/${uid}`;
  }

  render(p: ServicePaths): string {
    const template = parse(readFileSync(TEMPLATE, 'utf8'));
    const vars = { NODE: p.node, BIN: p.bin, CONFIG: p.config, DATA_DIR: p.dataDir, LOG_DIR: p.logDir };
    return build(fill(template, vars));
  }

  /** Write the plist and (re)load it: idempotent, a second install replaces the first. */
  async install(p: ServicePaths): Promise<string[]> {
    mkdirSync(p.logDir, { recursive: true });
    writeFileAtomic(this.definitionPath, this.render(p), 0o644);
    const done: string[] = [`wrote ${this.definitionPath}`];
    if ((await this.state()).loaded) {
      await this.launchctl(['bootout', `${this.domain}/${LABEL}`]);
      done.push('unloaded the previous agent');
    }
    await this.launchctl(['enable', `${this.domain}/${LABEL}`]);
    await this.launchctl(['bootstrap', this.domain, this.definitionPath], true);
    done.push(`loaded ${LABEL}; it starts now and at every login`);
    return done;
  }

  async uninstall(): Promise<string[]> {
    const done: string[] = [];
    if ((await this.state()).loaded) {
      await this.launchctl(['bootout', `${this.domain}/${LABEL}`], true);
      done.push(`stopped and unloaded ${LABEL}`);
    }
    if (existsSync(this.definitionPath)) {
      rmSync(this.definitionPath);
      done.push(`removed ${this.definitionPath}`);
    }
    return done.length ? done : ['nothing to do: the agent was not installed'];
  }

  async restart(): Promise<string[]> {
    await this.launchctl(['kickstart', '-k', `${this.domain}/${LABEL}`], true);
    return [`restarted ${LABEL}`];
  }

  async state(): Promise<ServiceState> {
    const installed = existsSync(this.definitionPath);
    const r = await this.launchctl(['print', `${this.domain}/${LABEL}`]);
    if (r.exitCode !== 0)
      return {
        installed,
        loaded: false,
        running: false,
        detail: installed ? 'installed but not loaded' : 'not installed',
      };
    const state = /^\s*state = (\S+)/m.exec(r.stdout)?.[1] ?? 'unknown';
    const pid = Number(/^\s*pid = (\d+)/m.exec(r.stdout)?.[1]) || undefined;
    return {
      installed,
      loaded: true,
      running: state === 'running',
      pid,
      detail: `loaded, state ${state}${pid ? `, pid ${pid}` : ''}`,
    };
  }

  logsCommand(p: ServicePaths, follow: boolean): string[] {
    return [
      'tail',
      ...(follow ? ['-F'] : []),
      '-n',
      '200',
      join(p.logDir, 'dropscribe.log'),
      join(p.logDir, 'dropscribe.err.log'),
    ];
  }

  private async launchctl(args: string[], check = false) {
    const r = await execa('launchctl', args, { reject: false });
    if (check && r.exitCode !== 0) {
      throw new Error(`launchctl ${args.join(' ')} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim()}`);
    }
    return r;
  }
}
