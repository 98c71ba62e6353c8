const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Splits prose into sentences (Unicode sentence boundaries), each trimmed, empties dropped. */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const { segment } of segmenter.segment(text)) {
    const sentence = segment.trim();
    if (sentence) sentences.push(sentence);
  }
  return sentences;
}

/**
 * Cuts `text` into sentences (or lines), each at most `maxChars` long: a longer one is cut at
 * its last space before the limit, or hard at the limit when it has none.
 */
export function splitUnits(text: string, unit: 'sentence' | 'line', maxChars: number): string[] {
  const units = unit === 'sentence' ? splitSentences(text) : text.split('\n');
  return units.flatMap((candidate) => hardSplit(candidate, maxChars));
}

/** Splits one over-long unit at the last space before the limit, or hard at the limit. */
function hardSplit(text: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    const space = rest.lastIndexOf(' ', maxChars);
    const cut = space > maxChars / 2 ? space : maxChars;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}
