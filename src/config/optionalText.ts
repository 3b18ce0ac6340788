// The setting most sections have: a text that may be left out (null, the default), never empty.
import { z } from 'zod';

/** A non-empty string setting, null by default, with its description. */
export function optionalText(description: string) {
  return z.string().min(1).nullable().default(null).describe(description);
}
