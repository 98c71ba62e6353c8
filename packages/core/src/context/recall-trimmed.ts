import { contentBlocks, type MessageParam } from '../call/conversation-shape.ts';
import { messageText } from './trim-strategy.ts';

const stopwords = new Set(
  "a an and are as at be but by did do for from had has have i i'm if in into is it its me my of on or our so that the their them then there these this to was we were what when where which who why will with you your gave told earlier said about again".split(
    ' ',
  ),
);

function terms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter(
    (term) => term.length > 1 && !stopwords.has(term),
  );
}

export interface RecallOptions {
  /** The messages that were trimmed away (still in the store). */
  trimmed: readonly MessageParam[];
  /** The new user message's text. */
  query: string;
  /** At most this many passages are brought back. Default 2. */
  limit?: number;
  /** Passages are cut to this many characters. Default 600. */
  maxCharacters?: number;
  /** A passage needs at least this many distinct query terms in common. Default 2. */
  minSharedTerms?: number;
}

export interface RecalledPassage {
  /** Index of the message in the trimmed list. */
  index: number;
  text: string;
  score: number;
}

/**
 * Finds the trimmed turns the user is referring to, by the words they share with the new message
 * (weighted by rarity, BM25-style), so their details can be brought back into the next request
 * without sending the whole old history.
 */
export function recallTrimmed(options: RecallOptions): RecalledPassage[] {
  const queryTerms = new Set(terms(options.query));
  if (queryTerms.size === 0 || options.trimmed.length === 0) return [];
  const documents = options.trimmed.map((message) => messageText(message));
  const documentTerms = documents.map((text) => terms(text));
  const frequency = new Map<string, number>();
  for (const list of documentTerms)
    for (const term of new Set(list)) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  const total = documents.length;
  const averageLength = documentTerms.reduce((sum, list) => sum + list.length, 0) / total || 1;
  const k1 = 1.2;
  const b = 0.75;
  const scored: RecalledPassage[] = [];
  documentTerms.forEach((list, index) => {
    const counts = new Map<string, number>();
    for (const term of list) counts.set(term, (counts.get(term) ?? 0) + 1);
    let score = 0;
    let shared = 0;
    for (const term of queryTerms) {
      const tf = counts.get(term);
      if (!tf) continue;
      shared++;
      const df = frequency.get(term) ?? 0;
      const idf = Math.log(1 + (total - df + 0.5) / (df + 0.5));
      score += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * list.length) / averageLength));
    }
    if (shared >= (options.minSharedTerms ?? 2))
      scored.push({ index, text: documents[index]!.slice(0, options.maxCharacters ?? 600), score });
  });
  return scored.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, options.limit ?? 2);
}

/** Options of {@link recallIntoLastMessage}. */
export interface RecallIntoLastMessageOptions {
  /** The messages to send; the last one is the new user message. */
  messages: readonly MessageParam[];
  /** The messages trimmed away. */
  trimmed: readonly MessageParam[];
}

/**
 * Brings back the trimmed turns the new user message refers to, as a note appended to that
 * message (after the cached prefix, so recall never breaks the cache). Nothing is recalled when
 * nothing was trimmed or the last message is not the user's (a tool loop continuing).
 */
export function recallIntoLastMessage(options: RecallIntoLastMessageOptions): {
  messages: MessageParam[];
  recalled: RecalledPassage[];
} {
  const messages = [...options.messages];
  const last = messages.at(-1);
  if (options.trimmed.length === 0 || !last || last.role !== 'user')
    return { messages, recalled: [] };
  const recalled = recallTrimmed({ trimmed: options.trimmed, query: messageText(last) });
  if (recalled.length === 0) return { messages, recalled };
  const note = `Recalled from earlier in this conversation:\n${recalled.map((passage) => `- ${passage.text}`).join('\n')}`;
  messages[messages.length - 1] = {
    role: 'user',
    content: [...contentBlocks(last), { type: 'text', text: note }],
  };
  return { messages, recalled };
}
