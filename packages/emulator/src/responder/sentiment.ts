import { words } from './words.ts';

const positive = new Set(
  (
    'good great excellent amazing awesome love loved loving like liked happy glad fantastic ' +
    'wonderful perfect best nice pleased delighted superb brilliant helpful fast easy recommend ' +
    'satisfied enjoy enjoyed works worked beautiful friendly thanks thank'
  ).split(' '),
);
const negative = new Set(
  (
    'bad terrible awful horrible hate hated poor worst broken slow angry disappointed ' +
    'disappointing useless refund fail failed failure problem problems issue issues bug buggy ' +
    'crash crashed wrong never unhappy annoyed rude late missing damaged difficult confusing'
  ).split(' '),
);
const negations = new Set(['not', "don't", "didn't", "doesn't", "isn't", "wasn't", 'no', 'never']);

/** A crude word-count sentiment, enough to make classification prompts answer sensibly offline. */
export function sentimentOf(text: string): 'positive' | 'negative' | 'neutral' {
  let score = 0;
  const list = words(text);
  list.forEach((word, index) => {
    const flip = index > 0 && negations.has(list[index - 1]!) ? -1 : 1;
    if (positive.has(word)) score += flip;
    else if (negative.has(word)) score -= flip;
  });
  return score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral';
}
