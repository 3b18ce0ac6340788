// Writes python/dropscribe_stages/contract.schema.json from contract.ts (run by `npm run build`).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { contractJsonSchema } from '../core/contract.js';

export const SCHEMA_PATH = fileURLToPath(
  new URL('../../../python/dropscribe_stages/contract.schema.json', import.meta.url),
);

/** Render the schema file's exact text. */
export function renderContractSchema(): string {
  return JSON.stringify(contractJsonSchema(), null, 2) + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_PATH, renderContractSchema());
}
