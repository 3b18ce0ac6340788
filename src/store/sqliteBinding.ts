// Whether better-sqlite3 has its native binary: npm 12 skips a dependency's build unless the install allows it.
import Database from 'better-sqlite3';
import { isClone } from '../platform/python/location.js';

/** The messages better-sqlite3 (through `bindings`) and Node give for a missing or mismatched addon. */
const BINDING_PROBLEM =
  /Could not locate the bindings file|NODE_MODULE_VERSION|compiled against a different Node|invalid ELF header|wrong ELF class|not a valid mach-o|dlopen/i;

export function isBindingProblem(err: unknown): boolean {
  return BINDING_PROBLEM.test((err as Error)?.message ?? '');
}

/** How to get the binary built, for a clone or for a global install. */
export function bindingFix(clone = isClone()): string {
  return clone
    ? 'run `npm install` in the dropscribe folder again (package.json allows better-sqlite3 to build), or `npm rebuild better-sqlite3`'
    : 'reinstall allowing its build: `npm install -g --allow-scripts=dropscribe,better-sqlite3 dropscribe` ' +
        '(or once: `npm config set allow-scripts=dropscribe,better-sqlite3 --location=user`)';
}

/** The sentence for a missing binary, with the fix. */
export function bindingMessage(err: unknown): string {
  const first = ((err as Error)?.message ?? String(err)).split('\n')[0];
  return `better-sqlite3 has no usable native binary (${first}); its install script did not run or built for another Node. Fix: ${bindingFix()}`;
}

/** undefined when an in-memory database opens, else the sentence with the fix. */
export function sqliteBindingProblem(): string | undefined {
  try {
    new Database(':memory:').close();
    return undefined;
  } catch (err) {
    return bindingMessage(err);
  }
}
