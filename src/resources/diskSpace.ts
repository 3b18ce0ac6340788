// Free space of the volume holding a folder.
import { statfsSync } from 'node:fs';

export function freeBytes(path: string): number | undefined {
  try {
    const s = statfsSync(path);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return undefined;
  }
}
