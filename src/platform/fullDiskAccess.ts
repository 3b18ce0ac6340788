// The explanation users need when macOS answers EPERM for a protected folder.

/** How to grant Full Disk Access to the node binary that runs the agent. */
export function fullDiskAccessHint(nodePath = process.execPath): string {
  return (
    `macOS blocks background agents from Desktop, Documents, Downloads and iCloud Drive unless they have Full Disk Access. ` +
    `Open System Settings > Privacy & Security > Full Disk Access, press +, add ${nodePath} (the node binary that runs dropscribe), ` +
    `then run \`dropscribe restart\`.`
  );
}
