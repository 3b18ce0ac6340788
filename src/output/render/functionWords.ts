// What a break after a word is like: after a sentence, after a clause, after an article, preposition or
// conjunction (per language: words a subtitle line or cue should not end on), or plain.

const LISTS: Record<string, string> = {
  en:
    'a an the ' +
    'about above across after against along among around at before behind below beneath beside besides between beyond ' +
    'by despite down during except for from in inside into like near of off on onto out outside over past per since ' +
    'through throughout till to toward towards under underneath until unto up upon via with within without ' +
    'and but or nor yet so although though because if unless whereas while whether than as',
  de:
    'der die das den dem des ein eine einen einem einer eines und oder aber denn sondern mit von zu zum zur in im ' +
    'an am auf für aus bei nach über unter vor durch gegen ohne um dass weil wenn als ob',
  fr:
    "le la les l' un une des du de d' et ou mais donc car ni à au aux en dans pour par sur sous avec sans chez " +
    "entre vers que qu' si",
  es: 'el la los las un una unos unas y e o u pero ni de del a al en con por para sin sobre entre hacia desde que si',
  it:
    "il lo la i gli le l' un uno una un' e ed o ma né di del della dei delle da dal dalla in nel nella con su sul " +
    'sulla per tra fra a al alla che se',
  pt:
    'o a os as um uma uns umas e ou mas nem de do da dos das em no na nos nas com por pelo pela para sem sobre ' +
    'entre que se',
};

const SETS = new Map(Object.entries(LISTS).map(([lang, words]) => [lang, new Set(words.split(' '))]));

/** The list for a language code such as "en" or "pt-BR"; English when the language has none. */
export function functionWordsFor(language = 'en'): Set<string> {
  return SETS.get(language.toLowerCase().slice(0, 2)) ?? SETS.get('en')!;
}

/**
 * True when `word` is a bare function word: "the" or "And" are, "up." and "so," are not (punctuation
 * closes the phrase). Quotes and brackets around the word are ignored.
 */
export function isFunctionWord(word: string, words: Set<string>): boolean {
  const bare = word
    .trim()
    .replace(/^["'“‘«([¿¡]+/u, '')
    .replace(/["”’»)\]]+$/u, '');
  if (!bare || /[.,;:!?…。！？，、؟،]$/u.test(bare)) return false;
  const lower = bare.toLowerCase();
  return words.has(lower) || words.has(lower.replace(/’/g, "'"));
}

export const SENTENCE_END = /[.!?…。！？؟]["'”’»)\]]*$/u;
export const CLAUSE_END = /[,;:，、；：،—–]["'”’»)\]]*$/u;

export type Boundary = 'sentence' | 'clause' | 'function' | 'plain';

/** The kind of break right after `word`. */
export function boundaryAfter(word: string, words: Set<string>): Boundary {
  if (SENTENCE_END.test(word)) return 'sentence';
  if (CLAUSE_END.test(word)) return 'clause';
  return isFunctionWord(word, words) ? 'function' : 'plain';
}
