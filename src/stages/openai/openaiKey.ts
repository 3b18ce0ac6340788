// Finds the API key of the OpenAI-compatible server (OPENAI_API_KEY, backends.openai.keyFile, the macOS Keychain).
// The key itself is never logged or shown: status and doctor print only where it came from.
import { readEnvFileValue, readKeychainItem, SecretSourceError } from '../../platform/secretSources.js';
import { keyInClearProblem, type OpenAiSettings } from '../../config/openaiSettings.js';

export const OPENAI_KEY_ENV = 'OPENAI_API_KEY';
/** Where the stage process finds the key (python/dropscribe_stages/asr/openai_server.py KEY_ENV). */
export const STAGE_KEY_ENV = 'DROPSCRIBE_OPENAI_API_KEY';

export interface ResolvedKey {
  key: string | null;
  /** Where it came from, for status and doctor; `none`: the server is asked without a key (local servers). */
  source: 'env' | 'key-file' | 'keychain' | 'none';
}

export class OpenAiKeyError extends Error {
  override name = 'OpenAiKeyError';
}

/** The key and its source: the environment first, then the key file, then the Keychain. A key found for a plain
 * http server on another machine is refused (it would travel in clear). */
export function resolveOpenAiKey(
  s: Pick<OpenAiSettings, 'keyFile' | 'keychain'> & { url?: string | null },
  env: NodeJS.ProcessEnv = process.env,
  security?: string,
): ResolvedKey {
  const found = findKey(s, env, security);
  const problem = found.key ? keyInClearProblem(s.url ?? null) : null;
  if (problem) throw new OpenAiKeyError(problem);
  return found;
}

function findKey(
  s: Pick<OpenAiSettings, 'keyFile' | 'keychain'>,
  env: NodeJS.ProcessEnv,
  security: string | undefined,
): ResolvedKey {
  try {
    if (env[OPENAI_KEY_ENV]) return { key: env[OPENAI_KEY_ENV]!.trim(), source: 'env' };
    if (s.keyFile) return { key: readEnvFileValue(s.keyFile, OPENAI_KEY_ENV, 'OpenAI key file'), source: 'key-file' };
    if (s.keychain)
      return { key: readKeychainItem('dropscribe', 'openai', 'sk-...', security, env), source: 'keychain' };
  } catch (err) {
    throw err instanceof SecretSourceError ? new OpenAiKeyError(err.message) : err;
  }
  return { key: null, source: 'none' };
}

/** `text` with the key replaced by ***, wherever it appears. */
export function redactKey(text: string, key: string | null): string {
  return key ? text.split(key).join('***') : text;
}
