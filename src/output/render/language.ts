// The script facts renderers need of a transcript's language: written right to left, or in CJK characters.
const RTL = new Set(['ar', 'he', 'iw', 'fa', 'ur', 'yi', 'ps', 'sd', 'ug', 'dv', 'ku', 'ckb']);
const CJK = new Set(['zh', 'ja', 'ko', 'yue']);

const base = (code: string) => code.toLowerCase().split(/[-_]/)[0]!;

export function isRightToLeft(code: string): boolean {
  return RTL.has(base(code));
}

export function isCjk(code: string): boolean {
  return CJK.has(base(code));
}
