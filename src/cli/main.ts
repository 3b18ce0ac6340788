// The `dropscribe` command line: the commander program (one file per command family in commands/) and its entry.
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/config.js';
import { EXIT } from '../core/contract.js';
import { LockError } from '../daemon/lock.js';
import { PACKAGE_ROOT } from '../platform/paths.js';
import { DatabaseError } from '../store/db.js';
import { PythonSetupError } from '../platform/python/setup.js';
import { addAgentCommands } from './commands/agent.js';
import { addDaemonCommands } from './commands/daemon.js';
import { addDbCommands } from './commands/db.js';
import { addJobCommands } from './commands/jobs.js';
import { addSetupCommand } from './commands/setup.js';
import { addUiCommands } from './commands/ui.js';
import { addSpeakersCommand } from './commands/speakers.js';
import { addExportCommand } from './commands/export.js';

export { ENQUEUE_EXIT } from './commands/jobs.js';

export function buildProgram(): Command {
  const program = new Command('dropscribe')
    .description(
      'Turns recordings dropped into a folder into subtitles and transcripts (SRT, VTT, TXT, JSON; DOCX, Markdown, CSV, ASS, LRC, FCPXML).',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError();
  addDaemonCommands(program);
  addJobCommands(program);
  addSpeakersCommand(program);
  addExportCommand(program);
  addDbCommands(program);
  addAgentCommands(program);
  addSetupCommand(program);
  addUiCommands(program);
  return program;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Run the CLI; known errors print one clear line instead of a stack trace. */
export async function main(argv = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof PythonSetupError) {
      console.error(`dropscribe: ${err.message}\n  fix: ${err.fix}`);
      process.exitCode = EXIT.config;
      return;
    }
    if (err instanceof ConfigError || err instanceof DatabaseError || err instanceof LockError) {
      console.error(`dropscribe: ${err.message}`);
      process.exitCode = err instanceof ConfigError ? EXIT.config : EXIT.temporary;
      return;
    }
    console.error(`dropscribe: ${(err as Error).message ?? String(err)}`);
    process.exitCode = 1;
  }
}
