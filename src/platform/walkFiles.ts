// Every file below a folder, depth first and in name order as Finder lists them ("take 2" before "take 10"), so what a
// walk finds is queued in a predictable order; folders that cannot be read are passed over, and `enter` decides which
// sub-folders are walked (by path and depth: 1 for the folder's own sub-folders).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const byName = new Intl.Collator('en', { numeric: true });

export function* walkFiles(
  root: string,
  enter: (dir: string, depth: number) => boolean = () => true,
  depth = 0,
): Generator<string> {
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return; // gone, unmounted or not permitted: nothing to report from here
  }
  entries.sort((a, b) => byName.compare(a.name, b.name));
  for (const e of entries) {
    const p = join(root, e.name);
    if (!e.isDirectory()) yield p;
    else if (enter(p, depth + 1)) yield* walkFiles(p, enter, depth + 1);
  }
}
