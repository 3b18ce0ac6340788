// The error of a configuration that cannot be used (a bad file, a missing vocabulary file): exit code 78.
export class ConfigError extends Error {
  override name = 'ConfigError';
}
