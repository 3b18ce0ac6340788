// Optional macOS notification (osascript, arguments passed without a shell).
import { execFile } from 'node:child_process';
import { platform } from 'node:os';

/** Quote a string as an AppleScript string literal. */
export function appleScriptString(text: string): string {
  return `"${text
    .replaceAll('\\', '\\\\')
    .replaceAll('"', '\\"')
    .replace(/[\r\n]+/g, ' ')}"`;
}

export function notify(title: string, message: string): void {
  if (platform() !== 'darwin') return;
  const script = `display notification ${appleScriptString(message)} with title ${appleScriptString(title)}`;
  execFile('/usr/bin/osascript', ['-e', script], () => {});
}
