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
 * Cuts `text` into pieces of at most `maxChars`, preferring sentence ends, then line ends, then
 * spaces; a run with no break at all is cut hard. `separator` joins the units back together.
 */
export function splitToFit(text: string, maxChars: number, unit: 'sentence' | 'line'): string[] {
  if (text.length <= maxChars) return [text];
  const units = unit === 'sentence' ? splitSentences(text) : text.split('\n');
  const separator = unit === 'sentence' ? ' ' : '\n';
  const pieces: string[] = [];
  let current = '';
  for (const piece of units.flatMap((candidate) => hardSplit(candidate, maxChars))) {
    if (current && current.length + separator.length + piece.length > maxChars) {
      pieces.push(current);
      current = piece;
    } else {
      current = current ? current + separator + piece : piece;
    }
  }
  if (current) pieces.push(current);
  return pieces;
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
