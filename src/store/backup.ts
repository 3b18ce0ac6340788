// Nightly SQLite backup with an integrity check, and restoring the newest good one.
import Database from 'better-sqlite3';
import { chmodSync, copyFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makePrivateFile, makePrivateFolder } from '../platform/privateFiles.js';
import type { Db } from './db.js';

const KEEP = 7;

export function backupDir(dataDir: string): string {
  return join(dataDir, 'backups');
}

/** Check the live database, copy it with SQLite's online backup, verify the copy, keep the newest seven. The folder is
 * 0700 and each copy 0600, a plain database file (no -wal or -shm of its own left beside it). */
export async function backupDatabase(db: Db, dataDir: string, now = new Date()): Promise<string> {
  const check = db.pragma('integrity_check', { simple: true });
  if (check !== 'ok') throw new Error(`the job database failed its integrity check (${String(check)}); backup skipped`);
  const dir = backupDir(dataDir);
  makePrivateFolder(dir);
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const target = join(dir, `jobs-${stamp}.db`);
  const tmp = `${target}.partial`;
  makePrivateFile(tmp);
  await db.backup(tmp);
  const copy = new Database(tmp);
  try {
    copy.pragma('journal_mode = DELETE');
    const ok = copy.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') throw new Error(`backup copy failed its integrity check (${String(ok)})`);
  } finally {
    copy.close();
    for (const journal of ['-wal', '-shm', '-journal']) rmSync(`${tmp}${journal}`, { force: true });
  }
  renameSync(tmp, target);
  for (const old of listBackups(dataDir).slice(KEEP)) rmSync(join(dir, old), { force: true });
  return target;
}

/** Backup file names, newest first. */
export function listBackups(dataDir: string): string[] {
  try {
    return readdirSync(backupDir(dataDir))
      .filter((f) => /^jobs-.*\.db$/.test(f))
      .sort()
      .reverse();
  } catch {
    return [];
  }
}

/** Move the damaged database aside and copy the newest backup that passes an integrity check into its place. */
export function restoreLatestBackup(dataDir: string, dbFile: string): string {
  for (const name of listBackups(dataDir)) {
    const file = join(backupDir(dataDir), name);
    try {
      const probe = new Database(file, { readonly: true });
      const ok = probe.pragma('integrity_check', { simple: true });
      probe.close();
      if (ok !== 'ok') continue;
    } catch {
      continue;
    }
    const aside = `${dbFile}.damaged-${Date.now()}`;
    try {
      renameSync(dbFile, aside);
    } catch {
      /* missing is fine */
    }
    rmSync(`${dbFile}-wal`, { force: true });
    rmSync(`${dbFile}-shm`, { force: true });
    copyFileSync(file, dbFile);
    chmodSync(dbFile, 0o600);
    return file;
  }
  throw new Error(`no usable backup in ${backupDir(dataDir)}`);
}
