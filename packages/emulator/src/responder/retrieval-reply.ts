import type { ReplyBlock } from './reply.ts';
import type { ContextSource } from './context-sources.ts';
import { contentStems, overlap, sentences } from './words.ts';

/** A citable piece of a source: a sentence of a text document, or a block of a search result. */
interface Passage {
  source: ContextSource;
  text: string;
  /** Order of appearance, for stable output. */
  order: number;
  /** Sentence offsets in a text document. */
  start?: number;
  end?: number;
  /** Block index in a search result or a content document. */
  block?: number;
  /** The PDF page the passage is on, from 0. */
  page?: number;
  /** True for the first passage of its source (used for summaries). */
  lead: boolean;
}

/** A citation in the API's shapes (`char_location`, `page_location`, `content_block_location`, `search_result_location`). */
type Citation = Record<string, unknown> & { type: string; cited_text: string };

function sourceName(source: ContextSource): string {
  if (source.kind === 'document') return source.title ?? `document ${source.index + 1}`;
  if (source.kind === 'search_result') return source.title || source.source;
  return source.name;
}

function passagesOf(source: ContextSource, counter: { order: number }): Passage[] {
  const result: Passage[] = [];
  const add = (passage: Omit<Passage, 'order' | 'lead' | 'source'>) =>
    result.push({ ...passage, source, order: counter.order++, lead: result.length === 0 });
  if (source.kind === 'search_result' || (source.kind === 'document' && source.blocks)) {
    const blocks = source.kind === 'search_result' ? source.blocks : source.blocks!;
    blocks.forEach((text, block) => {
      if (text.trim()) add({ text, block });
    });
  } else if (source.kind === 'document' && source.pages) {
    source.pages.forEach((text, page) => {
      for (const sentence of sentences(text)) add({ text: sentence.text, page });
    });
  } else if (source.kind === 'document' && source.text === '') {
    if (source.title) add({ text: source.title });
  } else {
    for (const sentence of sentences(source.text))
      add({ text: sentence.text, start: sentence.start, end: sentence.end });
  }
  return result;
}

function citationFor(passage: Passage): Citation | undefined {
  const { source } = passage;
  if (source.kind === 'search_result' && source.citations && passage.block !== undefined) {
    return {
      type: 'search_result_location',
      cited_text: passage.text,
      search_result_index: source.index,
      source: source.source,
      title: source.title,
      start_block_index: passage.block,
      end_block_index: passage.block + 1,
    };
  }
  if (source.kind !== 'document' || !source.citations) return undefined;
  if (passage.block !== undefined) {
    return {
      type: 'content_block_location',
      cited_text: passage.text,
      document_index: source.index,
      document_title: source.title,
      start_block_index: passage.block,
      end_block_index: passage.block + 1,
      file_id: null,
    };
  }
  if (passage.page !== undefined) {
    // PDFs are cited by page; numbers count from 1 and the end is exclusive.
    return {
      type: 'page_location',
      cited_text: passage.text,
      document_index: source.index,
      document_title: source.title,
      start_page_number: passage.page + 1,
      end_page_number: passage.page + 2,
      file_id: null,
    };
  }
  if (passage.start !== undefined && passage.end !== undefined) {
    return {
      type: 'char_location',
      cited_text: source.text.slice(passage.start, passage.end),
      document_index: source.index,
      document_title: source.title,
      start_char_index: passage.start,
      end_char_index: passage.end,
      file_id: null,
    };
  }
  return undefined;
}

const summaryIntent =
  /\b(?:summari[sz]e|summary|overview|tl;?dr|main points|key points|gist|what (?:is|are) (?:this|these|the) (?:document|documents|text|article|file)s? about)\b/i;

/** Options for {@link retrievalReply}. */
export interface RetrievalReplyOptions {
  /** The sources found in the request. */
  sources: readonly ContextSource[];
  /** The user's question (pasted documents removed). */
  question: string;
  /** How many passages to use at most. Default 3. */
  maxPassages?: number;
}

/**
 * Answers from retrieved context: the passages sharing most words with the question (or the
 * opening passages for "summarize"), naming their sources, with `citations` where the source
 * enabled them. Says so when nothing in the context matches.
 */
export function retrievalReply(options: RetrievalReplyOptions): ReplyBlock[] {
  const counter = { order: 0 };
  const passages = options.sources.flatMap((source) => passagesOf(source, counter));
  const question = contentStems(options.question).filter(
    (s) => !/^(?:document|source|context|text|according)$/.test(s),
  );
  const limit = options.maxPassages ?? 3;

  let chosen: Passage[];
  if (
    summaryIntent.test(options.question) ||
    (question.length === 0 && options.question.trim() === '')
  ) {
    chosen = passages.filter((passage) => passage.lead).slice(0, limit);
  } else {
    // Stemming only changes word endings, so a passage without the first letters of any
    // question stem cannot match; skipping those keeps long documents fast.
    const prefixes = question.map((s) => s.slice(0, 4));
    const scored = passages
      .filter((passage) => {
        const lower = passage.text.toLowerCase();
        return prefixes.some((prefix) => lower.includes(prefix));
      })
      .map((passage) => ({ passage, score: overlap(question, contentStems(passage.text)) }))
      .filter((entry) => entry.score > 0);
    const best = scored.reduce((max, entry) => Math.max(max, entry.score), 0);
    chosen = scored
      .filter((entry) => entry.score >= Math.max(1, Math.ceil(best / 2)))
      .sort((a, b) => b.score - a.score || a.passage.order - b.passage.order)
      .slice(0, limit)
      .map((entry) => entry.passage)
      .sort((a, b) => a.order - b.order);
  }

  if (chosen.length === 0) {
    const names = [...new Set(options.sources.map(sourceName))].slice(0, 5);
    return [
      {
        type: 'text',
        text:
          `I couldn't find the answer to that in the provided context.` +
          (names.length > 0 ? ` The context covers: ${names.join(', ')}.` : ''),
      },
    ];
  }

  const cited = chosen.map((passage) => ({ passage, citation: citationFor(passage) }));
  if (cited.some((entry) => entry.citation)) {
    const blocks: ReplyBlock[] = [{ type: 'text', text: 'According to the provided sources: ' }];
    cited.forEach(({ passage, citation }, i) => {
      const text = (i > 0 ? ' ' : '') + passage.text.trim();
      blocks.push(
        citation
          ? { type: 'text', text, citations: [citation] }
          : { type: 'text', text: `${text} (${sourceName(passage.source)})` },
      );
    });
    return blocks;
  }
  const lines = chosen.map(
    (passage) => `According to ${sourceName(passage.source)}: "${passage.text.trim()}"`,
  );
  return [{ type: 'text', text: lines.join('\n') }];
}
