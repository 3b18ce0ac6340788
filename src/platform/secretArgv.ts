// A secret given on the command line is readable by every user of the machine for as long as the process runs
// (`ps`, /proc/<pid>/cmdline). This takes it out: the program starts again in the same process (same pid, so a
// shell, launchd or systemd still has it) without the option, the value in an environment variable instead, which
// only the same user can read.

/** `argv` without `--name value` and `--name=value`. */
export function withoutOption(argv: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === name) i++;
    else if (!argv[i]!.startsWith(`${name}=`)) out.push(argv[i]!);
  }
  return out;
}

/** Replace this process with the same program minus `--name value`, the value in `env[envName]`. Returns only when
 * this Node cannot (process.execve came in Node 22.15 and 23.11; none on Windows): false then. */
export function restartWithoutOption(name: string, envName: string, value: string): boolean {
  const execve = (process as { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never }).execve;
  if (typeof execve !== 'function') return false;
  const args = [process.execPath, ...process.execArgv, ...withoutOption(process.argv.slice(1), name)];
  execve.call(process, process.execPath, args, { ...process.env, [envName]: value });
  return true; // not reached: this process now runs the new command line
}
