// Reading a secret the user keeps out of the config: a NAME=value line in a file only they can read, or a macOS
// Keychain item. Both the team URL and the OpenAI API key come from here; errors say how to fix the source.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

export class SecretSourceError extends Error {
  override name = 'SecretSourceError';
}

/** The value of `name` in an env file (`what` names the file in errors); refused when others may read it. */
export function readEnvFileValue(file: string, name: string, what: string, uid = process.getuid?.()): string {
  let st;
  try {
    st = statSync(file);
  } catch (err) {
    throw new SecretSourceError(
      `cannot read the ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  if ((st.mode & 0o077) !== 0) {
    throw new SecretSourceError(
      `the ${what} ${file} can be read by others (mode ${(st.mode & 0o777).toString(8)}); ` +
        `it holds a secret: run chmod 600 ${file}`,
    );
  }
  if (uid !== undefined && st.uid !== uid)
    throw new SecretSourceError(`the ${what} ${file} belongs to another user (uid ${st.uid})`);
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m?.[1] === name) return unquote(m[2]!);
  }
  throw new SecretSourceError(`the ${what} ${file} has no ${name}=... line`);
}

function unquote(v: string): string {
  return /^(['"]).*\1$/.test(v) ? v.slice(1, -1) : v;
}

/** The secret stored with `security add-generic-password -s SERVICE -a ACCOUNT -w VALUE`. */
export function readKeychainItem(
  service: string,
  account: string,
  example: string,
  security = 'security',
  env: NodeJS.ProcessEnv = process.env,
): string {
  try {
    return execFileSync(security, ['find-generic-password', '-s', service, '-a', account, '-w'], {
      encoding: 'utf8',
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 10_000,
    }).trim();
  } catch (err) {
    const e = err as { status?: number; code?: string };
    throw new SecretSourceError(
      `no ${service}/${account} item in the Keychain (security exited ${e.status ?? e.code}); store it with: ` +
        `security add-generic-password -s ${service} -a ${account} -w '${example}'`,
    );
  }
}
