// The web page's commands: `open` (ask the running daemon for a single-use sign-in code, print the page's address with
// it and open it in the browser; the token itself never goes into an address or a command line) and `search` (the
// page's full-text search in the terminal).
import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { lockHolder } from '../../daemon/lock.js';
import { SNIPPET_CLOSE, SNIPPET_OPEN, type SearchHit } from '../../core/searchHit.js';
import { pageUrl, readUiAddress, readUiToken, requestOpenCode } from '../../ui/token.js';
import { noDatabase, openExistingStore, resolveConfig, withCommon, type CommonOpts } from '../common.js';

/** The program that opens an address in the user's browser. */
export function browserOpener(platform: NodeJS.Platform = process.platform): string {
  return platform === 'darwin' ? 'open' : platform === 'win32' ? 'explorer' : 'xdg-open';
}

export function addUiCommands(program: Command): void {
  withCommon(
    program
      .command('open')
      .description('open the web page in the browser (prints its address, valid once for a minute)'),
  )
    .option('--no-browser', 'only print the address')
    .action(async (opts: CommonOpts & { browser: boolean }) => {
      const { config } = resolveConfig(opts);
      if (!config.ui.enabled) throw new Error('the web page is turned off (ui.enabled is false in the config)');
      const holder = lockHolder(config.dataDir);
      if (holder === undefined) {
        const where = config.ui.port ? ` (the page will be at ${pageUrl(config.ui.port)})` : '';
        throw new Error(
          `the daemon is not running: start it with \`dropscribe start\`${where}, then run \`dropscribe open\``,
        );
      }
      const address = readUiAddress(config.dataDir);
      const token = readUiToken(config.dataDir);
      if (!address || !token || (holder.pid !== null && address.pid !== holder.pid))
        throw new Error('the daemon has not opened its web page yet (starting, or its port is taken: see its log)');
      // A code, not the token: the address is seen by the browser's history and, for a moment, by every user's `ps`.
      const url = pageUrl(address.port, await requestOpenCode(address.port, token));
      console.log(url);
      if (opts.browser)
        spawn(browserOpener(), [url], { stdio: 'ignore', detached: true })
          .on('error', (e) => console.error(`dropscribe: could not open the browser (${e.message})`))
          .unref();
    });

  withCommon(program.command('search').description('search every transcript').argument('<query...>'))
    .option('--json', 'machine-readable output')
    .option('--limit <n>', 'how many results', '20')
    .action((words: string[], opts: CommonOpts & { json?: boolean; limit: string }) => {
      const r = resolveConfig(opts);
      const jobs = openExistingStore(r);
      if (!jobs) throw new Error(`no transcripts yet: ${noDatabase(r)}`);
      const hits = jobs.search.search(words.join(' '), Number(opts.limit));
      if (opts.json) return console.log(JSON.stringify({ query: words.join(' '), hits }, null, 2));
      if (!hits.length) return console.log('no transcript has these words');
      for (const h of hits) console.log(hitLine(h));
    });
}

/** One result: job, file, time (h:mm:ss) and the snippet with the match in brackets. */
export function hitLine(h: SearchHit): string {
  const s = Math.floor(h.start);
  const time = `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  const snippet = h.snippet.split(SNIPPET_OPEN).join('[').split(SNIPPET_CLOSE).join(']');
  return `#${h.jobId}  ${h.relPath}  ${time}  ${snippet}`;
}
