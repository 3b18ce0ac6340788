// A throwaway PostgreSQL cluster in a temp folder (initdb + pg_ctl on a free port, 127.0.0.1 only) for team tests.
// As root the server runs as an unprivileged user (postgres refuses root): `dropscribe-ci` when it exists, else nobody.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN_DIRS = [
  '/usr/lib/postgresql/17/bin',
  '/usr/lib/postgresql/16/bin',
  '/usr/lib/postgresql/15/bin',
  '/opt/homebrew/opt/postgresql@16/bin',
  '/usr/local/opt/postgresql@16/bin',
];

/** The folder holding initdb, pg_ctl and postgres, or undefined (tests then skip with this reason). */
export function postgresBinDir(): string | undefined {
  const fromEnv = process.env.DROPSCRIBE_PG_BIN;
  return [fromEnv, ...BIN_DIRS].find(
    (d): d is string => !!d && existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')),
  );
}

export const SKIP_NO_POSTGRES = postgresBinDir()
  ? false
  : 'PostgreSQL binaries not found (apt-get install postgresql, or set DROPSCRIBE_PG_BIN); team tests skipped';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function serverUser(): { name: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['dropscribe-ci', 'nobody']) {
    try {
      const id = (flag: string) =>
        Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      return { name, uid: id('-u'), gid: id('-g') };
    } catch {
      /* try the next */
    }
  }
  throw new Error('running as root and neither dropscribe-ci nor nobody exists to run postgres');
}

export class PgCluster {
  readonly dir: string;
  readonly dataDir: string;
  private readonly bin: string;
  private readonly user = serverUser();

  private constructor(readonly port: number) {
    this.bin = postgresBinDir()!;
    this.dir = mkdtempSync(join(tmpdir(), 'dropscribe-pg-'));
    this.dataDir = join(this.dir, 'data');
    chmodSync(this.dir, 0o700);
    if (this.user) chownSync(this.dir, this.user.uid, this.user.gid);
  }

  /** initdb and start a cluster with trust auth for the `postgres` role. */
  static async create(): Promise<PgCluster> {
    const cluster = new PgCluster(await freePort());
    cluster.run('initdb', ['-D', cluster.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    cluster.start();
    return cluster;
  }

  /** postgres://postgres@127.0.0.1:<port>/postgres, optionally with a password (trust auth ignores it). */
  url(password?: string): string {
    return `postgres://postgres${password ? `:${encodeURIComponent(password)}` : ''}@127.0.0.1:${this.port}/postgres`;
  }

  start(): void {
    this.run('pg_ctl', [
      '-D',
      this.dataDir,
      '-w',
      '-t',
      '30',
      '-l',
      join(this.dir, 'server.log'),
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`,
      'start',
    ]);
  }

  /** Fast shutdown: connections are closed, as when the server restarts. */
  stop(): void {
    this.run('pg_ctl', ['-D', this.dataDir, '-w', '-t', '30', '-m', 'fast', 'stop']);
  }

  destroy(): void {
    try {
      this.stop();
    } catch {
      /* already stopped */
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private run(tool: string, args: string[]): void {
    const exe = join(this.bin, tool);
    const [cmd, argv] = this.user ? ['runuser', ['-u', this.user.name, '--', exe, ...args]] : [exe, args];
    execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: this.dir });
  }
}
