import type { ChunkOptions } from '../chunk/chunk-document.ts';
import type { ChunkContextualizer } from '../context/chunk-contextualizer.ts';
import type { EmbeddingProvider } from '../embed/embedding-provider.ts';
import type { KnowledgeIndex } from '../index/knowledge-index.ts';

/** What happened to one file. */
export type FileStatus = 'added' | 'updated' | 'unchanged' | 'removed' | 'failed';

/** One file's outcome. */
export interface FileOutcome {
  /** Absolute path of the file. */
  source: string;
  /** What happened. */
  status: FileStatus;
  /** Chunks written for it (0 unless added or updated). */
  chunks: number;
  /** For `failed`: the machine-readable error code and message. */
  error?: { code: string; message: string };
}

/** Progress after each file. */
export interface IngestProgress {
  /** Files finished so far, this one included. */
  done: number;
  /** Files to process in this run. */
  total: number;
  /** The file just finished. */
  file: FileOutcome;
}

/** Options for {@link ingest}. */
export interface IngestOptions {
  /** The index to update. */
  index: KnowledgeIndex;
  /** Files and folders to ingest. A folder is walked recursively; documents indexed under it
   * whose files are gone are removed. */
  paths: string[];
  /** Chunk sizes. */
  chunking?: ChunkOptions;
  /** When set, every chunk is embedded (vectors are reused by content hash). */
  embeddings?: EmbeddingProvider;
  /** When set, every new or changed chunk gets a contextual-retrieval context. */
  contextualizer?: ChunkContextualizer;
  /** Called after each file. */
  onProgress?: (progress: IngestProgress) => void;
}

/** The totals of an ingestion run. */
export interface IngestSummary {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  failed: number;
  /** Chunks written in this run. */
  chunks: number;
  /** Every file's outcome, in processing order. */
  files: FileOutcome[];
}
