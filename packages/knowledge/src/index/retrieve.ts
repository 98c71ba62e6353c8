import type { EmbeddingProvider } from '../embed/embedding-provider.ts';
import type { KnowledgeIndex, StoredChunk } from './knowledge-index.ts';
import { reciprocalRankFusion } from './reciprocal-rank-fusion.ts';

/** Options for {@link retrieve}. */
export interface RetrieveOptions {
  /** The index to search. */
  index: KnowledgeIndex;
  /** The question. */
  query: string;
  /** Chunks to return. Default 6. */
  limit?: number;
  /** When set (and the index supports vectors), dense search runs too and the two rankings are
   * fused with reciprocal rank fusion. */
  embeddings?: EmbeddingProvider;
  /** Candidates taken from each ranking before fusion. Default 50. */
  candidates?: number;
  /** A chunk is relevant when its BM25 score exceeds this. Default 0: any chunk sharing a
   * content word with the question. BM25 scores depend on corpus size (in a corpus of three
   * documents a word found in two scores ~0), so a fixed higher default would wrongly reject
   * small knowledge bases; raise it for large ones. */
  minTextScore?: number;
  /** ...or when its cosine similarity to the question reaches this. Default 0.35. */
  minVectorScore?: number;
}

/** A retrieved chunk with the evidence for it. */
export interface RetrievedChunk {
  /** The chunk. */
  chunk: StoredChunk;
  /** Fused score (RRF) in hybrid mode, else the text score. Higher is better. */
  score: number;
  /** BM25 score, null when full-text search did not find the chunk. */
  textScore: number | null;
  /** Cosine similarity, null when dense search did not run or did not find the chunk. */
  vectorScore: number | null;
}

/** What {@link retrieve} found. */
export interface RetrieveResult {
  /** Relevant chunks, best first; empty means the knowledge base does not cover the question. */
  chunks: RetrievedChunk[];
  /** Which searches ran. */
  mode: 'text' | 'hybrid';
}

/**
 * Finds the chunks that answer a question: BM25 full-text search, plus dense search fused by
 * reciprocal rank fusion when an embedding provider is given. Chunks that clear neither
 * relevance threshold are dropped, and duplicates (same text in several documents) collapse to
 * the best-ranked copy.
 */
export async function retrieve(options: RetrieveOptions): Promise<RetrieveResult> {
  const limit = options.limit ?? 6;
  const candidates = Math.max(options.candidates ?? 50, limit);
  const minTextScore = options.minTextScore ?? 0;
  const minVectorScore = options.minVectorScore ?? 0.35;
  const hybrid = options.embeddings !== undefined && options.index.supportsVectors;

  const [textHits, vectorHits] = await Promise.all([
    options.index.searchText({ query: options.query, limit: candidates }),
    hybrid
      ? options.embeddings!.embed([options.query], 'query').then(([vector]) =>
          options.index.searchVector({
            vector: vector!,
            model: options.embeddings!.model,
            limit: candidates,
          }),
        )
      : Promise.resolve([]),
  ]);

  const textScores = new Map(textHits.map((hit) => [hit.chunk.id, hit.score]));
  const vectorScores = new Map(vectorHits.map((hit) => [hit.chunk.id, hit.score]));
  const fused = reciprocalRankFusion({
    rankings: hybrid ? [textHits, vectorHits] : [textHits],
    key: (hit) => hit.chunk.id,
  });

  const seen = new Set<string>();
  const chunks: RetrievedChunk[] = [];
  for (const { item, score } of fused) {
    const textScore = textScores.get(item.chunk.id) ?? null;
    const vectorScore = vectorScores.get(item.chunk.id) ?? null;
    const relevant =
      (textScore !== null && textScore > minTextScore) ||
      (vectorScore !== null && vectorScore >= minVectorScore);
    if (!relevant || seen.has(item.chunk.contentHash)) continue;
    seen.add(item.chunk.contentHash);
    chunks.push({
      chunk: item.chunk,
      score: hybrid ? score : (textScore ?? 0),
      textScore,
      vectorScore,
    });
    if (chunks.length === limit) break;
  }
  return { chunks, mode: hybrid ? 'hybrid' : 'text' };
}
