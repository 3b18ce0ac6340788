// Run a piece of a test with another current folder, so the CLI and daemons it starts run there too.

/** Run `fn` with `dir` as the current folder, then go back. */
export async function inFolder<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return await fn();
  } finally {
    process.chdir(before);
  }
}
