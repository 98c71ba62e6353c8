import type { DocumentFormat } from '../extract/extracted-document.ts';

/** A document the index knows, keyed by its source. */
export interface DocumentRecord {
  /** Where the document came from: an absolute file path or a URI. Unique in the index. */
  source: string;
  /** Display title: the document's own title, else its file name. */
  title: string;
  /** The format it was read as. */
  format: DocumentFormat;
  /** sha256 (hex) of the file's bytes: unchanged bytes are never re-indexed. */
  contentHash: string;
  /** The file's modification time (ms since the epoch) when it was indexed. */
  modifiedMs: number;
  /** The file's size in bytes when it was indexed. */
  sizeBytes: number;
}

/** A chunk as handed to the index. */
export interface ChunkRecord {
  /** 0-based order within the document. */
  position: number;
  /** The chunk's text, as sent to the model. */
  text: string;
  /** Heading trail where the chunk starts, outermost first. */
  headings: string[];
  /** PDF page the chunk starts on, when known. */
  page?: number;
  /** sha256 (hex) of `text`: the key for de-duplication and stored embeddings. */
  contentHash: string;
  /** Contextual-retrieval text situating the chunk in its document (indexed, not shown). */
  context?: string;
  /** Dense vector of the chunk, when an embedding provider is configured. */
  embedding?: ChunkEmbedding;
}

/** A chunk's dense vector and what it was computed from. */
export interface ChunkEmbedding {
  /** Embedding model id. */
  model: string;
  /** sha256 of the exact text that was embedded (context + chunk), the cache key. */
  inputHash: string;
  /** The vector. */
  vector: Float32Array;
}

/** A chunk as stored: a stable id and its document's identity. */
export interface StoredChunk extends Omit<ChunkRecord, 'embedding'> {
  /** Stable id, derived from source, position and content: safe to cite. */
  id: string;
  /** The document's source. */
  source: string;
  /** The document's title. */
  title: string;
}

/** One search result. */
export interface SearchHit {
  /** The matching chunk. */
  chunk: StoredChunk;
  /** Higher is better. Text search: BM25; vector search: cosine similarity;
   * hybrid: reciprocal-rank-fusion score. */
  score: number;
}

/** Counts of what an index holds. */
export interface IndexStats {
  /** Documents indexed. */
  documents: number;
  /** Chunks indexed. */
  chunks: number;
  /** Chunks with a stored embedding. */
  embeddedChunks: number;
}

/** Options for a full-text search. */
export interface TextSearchOptions {
  /** The user's question or keywords; parsed by {@link parseQuery}, never passed raw. */
  query: string;
  /** Maximum hits. Default 10. */
  limit?: number;
}

/** Options for a dense (vector) search. */
export interface VectorSearchOptions {
  /** The query embedding. */
  vector: Float32Array;
  /** Embedding model the vector came from: only vectors of the same model are compared. */
  model: string;
  /** Maximum hits. Default 10. */
  limit?: number;
}

/**
 * The storage and search contract shared by the embedded SQLite index and the PostgreSQL one.
 * Ingestion, answering and the CLI only ever see this interface.
 */
export interface KnowledgeIndex {
  /** Which implementation this is. */
  readonly kind: 'sqlite' | 'postgres';
  /** Whether {@link searchVector} works here (PostgreSQL without pgvector: false). */
  readonly supportsVectors: boolean;
  /** Creates tables when missing. Idempotent. */
  migrate(): Promise<void>;
  /** The stored document for `source`, if any. */
  getDocument(source: string): Promise<DocumentRecord | undefined>;
  /** All documents, or those whose source starts with `sourcePrefix`. */
  listDocuments(sourcePrefix?: string): Promise<DocumentRecord[]>;
  /** Replaces a document and all its chunks atomically; returns the stored chunks. */
  replaceDocument(document: DocumentRecord, chunks: ChunkRecord[]): Promise<StoredChunk[]>;
  /** Records a new modification time for a document whose bytes did not change. */
  touchDocument(source: string, modifiedMs: number): Promise<void>;
  /** Deletes a document and its chunks. No-op when absent. */
  removeDocument(source: string): Promise<void>;
  /** Stored embeddings by input hash, so unchanged chunks are never embedded twice. */
  findEmbeddings(model: string, inputHashes: string[]): Promise<Map<string, Float32Array>>;
  /** Full-text search, best first. */
  searchText(options: TextSearchOptions): Promise<SearchHit[]>;
  /** Dense search by cosine similarity, best first. */
  searchVector(options: VectorSearchOptions): Promise<SearchHit[]>;
  /** Compacts the search structures after a batch of changes (ingestion calls it once). */
  optimize(): Promise<void>;
  /** What the index holds. */
  stats(): Promise<IndexStats>;
  /** Releases the connection. */
  close(): Promise<void>;
}
