export type {
  DocumentBlock,
  DocumentFormat,
  ExtractedDocument,
} from './extract/extracted-document.ts';
export { extractDocument, formatOf, supportedExtensions } from './extract/extract-document.ts';
export { decodeText, type DecodedText } from './extract/decode-text.ts';
export { chunkDocument, type ChunkOptions, type DocumentChunk } from './chunk/chunk-document.ts';
export type {
  ChunkEmbedding,
  ChunkRecord,
  DocumentRecord,
  IndexStats,
  KnowledgeIndex,
  SearchHit,
  StoredChunk,
  TextSearchOptions,
  VectorSearchOptions,
} from './index/knowledge-index.ts';
export { parseQuery, type ParsedQuery } from './index/parse-query.ts';
export { defaultFieldWeights, type FieldWeights } from './index/field-weights.ts';
export { sha256, chunkId } from './index/chunk-id.ts';
export {
  openSqliteIndex,
  SqliteKnowledgeIndex,
  type SqliteIndexOptions,
} from './index/sqlite-knowledge-index.ts';
export { BinaryFileError } from './errors/binary-file-error.ts';
export { UnsupportedFormatError } from './errors/unsupported-format-error.ts';
export { DocumentParseError } from './errors/document-parse-error.ts';
export { EmbeddingRequestError } from './errors/embedding-request-error.ts';
export { KnowledgeConfigError } from './errors/knowledge-config-error.ts';
export { SourceNotFoundError } from './errors/source-not-found-error.ts';
export type { EmbeddingProvider } from './embed/embedding-provider.ts';
export { voyageEmbeddings, type VoyageEmbeddingsOptions } from './embed/voyage-embeddings.ts';
export { hashedBagOfWords } from './embed/hashed-bag-of-words.ts';
export {
  startFakeVoyageServer,
  type FakeVoyageServer,
  type FakeVoyageServerOptions,
} from './embed/fake-voyage-server.ts';
export {
  reciprocalRankFusion,
  type FusedItem,
  type ReciprocalRankFusionOptions,
} from './index/reciprocal-rank-fusion.ts';
export {
  retrieve,
  type RetrieveOptions,
  type RetrieveResult,
  type RetrievedChunk,
} from './index/retrieve.ts';
export {
  claudeChunkContextualizer,
  type ChunkContextualizer,
  type ClaudeChunkContextualizerOptions,
} from './context/chunk-contextualizer.ts';
export { ingest } from './ingest/ingest.ts';
export type {
  FileOutcome,
  FileStatus,
  IngestOptions,
  IngestProgress,
  IngestSummary,
} from './ingest/ingest-types.ts';
export { walkFiles } from './ingest/walk-files.ts';
export { loadPrompt, type KnowledgePromptName } from './answer/load-prompt.ts';
export {
  notFoundMarker,
  type Answer,
  type AnswerEvent,
  type Citation,
  type MessagesClient,
} from './answer/answer-types.ts';
export { defaultAnswerTask, type AnswerOptions } from './answer/answer-options.ts';
export { modelForTask } from './answer/model-for-task.ts';
export {
  buildAnswerRequest,
  chunkTitle,
  type BuildAnswerRequestOptions,
} from './answer/build-answer-request.ts';
export { answerQuestion } from './answer/answer-question.ts';
export { streamAnswer } from './answer/stream-answer.ts';
export {
  openPostgresIndex,
  PostgresKnowledgeIndex,
  type PostgresIndexOptions,
} from './index/postgres-knowledge-index.ts';
export {
  openKnowledgeIndex,
  defaultKnowledgeDbPath,
  type OpenKnowledgeIndexOptions,
} from './open-knowledge-index.ts';
