// Opens the SQLite database (WAL, busy timeout) and applies migrations tracked by PRAGMA user_version.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { foldName } from '../core/outputNaming.js';
import { PACKAGE_ROOT } from '../platform/paths.js';
import { makePrivateFile } from '../platform/privateFiles.js';
import { bindingMessage, isBindingProblem } from './sqliteBinding.js';

export type Db = Database.Database;
const MIGRATIONS_DIR = join(PACKAGE_ROOT, 'src', 'store', 'sql');

export class DatabaseError extends Error {
  override name = 'DatabaseError';
  constructor(
    message: string,
    readonly file: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The job database's file in a data folder. */
export function jobsDbFile(dataDir: string): string {
  return join(dataDir, 'jobs.db');
}

/** Open (and migrate) the job database at `file`; `check` runs a quick integrity check (daemon start-up, doctor).
 * Throws DatabaseError with a recovery hint when it is unusable. */
export function openDb(file: string, { readonly = false, check = false } = {}): Db {
  const onDisk = file !== ':memory:' && file !== '';
  let db: Db | undefined;
  try {
    if (onDisk && !readonly) makePrivateDb(file);
    db = new Database(file, { readonly, timeout: 5000 });
    if (!readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    if (check) {
      const result = db.pragma('quick_check', { simple: true });
      if (result !== 'ok') throw new Error(`integrity check failed: ${String(result)}`);
    }
    if (!readonly) migrate(db);
    return db;
  } catch (err) {
    db?.close();
    if (isBindingProblem(err)) throw new DatabaseError(bindingMessage(err), file, { cause: err });
    const message = (err as Error).message;
    const locked = /locked|busy/i.test(message);
    throw new DatabaseError(
      locked
        ? `the job database ${file} is locked by another process (${message}); is another dropscribe running?`
        : `the job database ${file} is damaged or unreadable (${message}). ` +
            `Run \`dropscribe restore-db\` to restore the nightly backup, or move the file away to start empty.`,
      file,
      { cause: err },
    );
  }
}

/** The database's folder 0700 when it is made here, and the database with its -wal and -shm 0600 (SQLite gives its
 * journal files the database's mode, so a database made 0600 keeps them so). */
function makePrivateDb(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  makePrivateFile(file);
  for (const journal of [`${file}-wal`, `${file}-shm`]) if (existsSync(journal)) makePrivateFile(journal);
}

/** The migrations, sql/NNN_*.sql, in order. */
function migrationFiles(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_.*\.sql$/.test(f))
    .sort();
}

/** The user_version of a database every migration has been applied to. */
export function schemaVersion(): number {
  return Number(migrationFiles().at(-1)?.slice(0, 3) ?? 0);
}

/** Apply every sql/NNN_*.sql file above the current user_version, each in its own transaction. */
export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  // Names compared as a Mac compares them (009_output_files.sql): NFC and case folding are not in SQLite.
  db.function('fold_name', { deterministic: true }, (name: unknown) =>
    typeof name === 'string' ? foldName(name) : null,
  );
  for (const f of migrationFiles()) {
    const version = Number(f.slice(0, 3));
    if (version <= current) continue;
    const sql = readFileSync(join(MIGRATIONS_DIR, f), 'utf8');
    // IMMEDIATE, and checked again inside: a daemon starting and a CLI command may migrate the same new file at once.
    db.transaction(() => {
      if ((db.pragma('user_version', { simple: true }) as number) >= version) return;
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
}
