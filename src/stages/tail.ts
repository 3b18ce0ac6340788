// Keeps the last few kilobytes of a text stream (a stage's stderr) for error reports.
export class TextTail {
  private text = '';
  constructor(private readonly maxChars = 4000) {}

  push(chunk: string | Buffer): void {
    this.text = (this.text + chunk.toString()).slice(-this.maxChars);
  }

  /** The last `lines` complete-ish lines. */
  lines(lines = 20): string {
    return this.text
      .split('\n')
      .slice(-lines - 1)
      .join('\n');
  }
}
