import { readFile, stat } from 'node:fs/promises';
import { basename, extname, resolve, sep } from 'node:path';
import { KeelError } from '@keel/errors';
import { chunkDocument } from '../chunk/chunk-document.ts';
import { SourceNotFoundError } from '../errors/source-not-found-error.ts';
import { extractDocument, formatOf } from '../extract/extract-document.ts';
import type { ExtractedDocument } from '../extract/extracted-document.ts';
import { sha256 } from '../index/chunk-id.ts';
import type { ChunkRecord, DocumentRecord } from '../index/knowledge-index.ts';
import type { FileOutcome, IngestOptions, IngestSummary } from './ingest-types.ts';
import { walkFiles } from './walk-files.ts';

/**
 * Brings the index in line with files on disk, incrementally: a file whose size and mtime are
 * unchanged is skipped without reading; one whose bytes hash the same is only touched; others
 * are extracted, chunked, (contextualised, embedded) and replace their previous version. Files
 * gone from an ingested folder are removed. One bad file never stops the run: it is reported
 * as `failed` with its error code.
 */
export async function ingest(options: IngestOptions): Promise<IngestSummary> {
  const { index } = options;
  const files: string[] = [];
  const folders: string[] = [];
  const outcomes: FileOutcome[] = [];
  const missing: string[] = [];

  for (const given of options.paths) {
    const path = resolve(given);
    const info = await stat(path).catch(() => null);
    if (info === null) missing.push(path);
    else if (info.isDirectory()) {
      folders.push(path);
      files.push(...(await walkFiles(path)));
    } else files.push(path);
  }

  // Documents indexed under an ingested folder whose files are gone, and documents at (or
  // under) a path that no longer exists: both are removed.
  const present = new Set(files);
  const stale = new Set<string>();
  for (const folder of folders) {
    for (const document of await index.listDocuments(folder + sep)) {
      if (!present.has(document.source)) stale.add(document.source);
    }
  }
  const unknownMissing: string[] = [];
  for (const path of missing) {
    const gone = (await index.listDocuments(path)).filter(
      (document) => document.source === path || document.source.startsWith(path + sep),
    );
    for (const document of gone) stale.add(document.source);
    if (gone.length === 0) unknownMissing.push(path);
  }

  const total = files.length + stale.size + unknownMissing.length;
  const report = (file: FileOutcome) => {
    outcomes.push(file);
    options.onProgress?.({ done: outcomes.length, total, file });
  };

  for (const path of unknownMissing) {
    const error = new SourceNotFoundError(path);
    report({
      source: path,
      status: 'failed',
      chunks: 0,
      error: { code: error.code, message: error.message },
    });
  }
  for (const source of [...new Set(files)]) {
    try {
      report(await ingestFile(source, options));
    } catch (error) {
      report({ source, status: 'failed', chunks: 0, error: describeError(error) });
    }
  }
  for (const source of stale) {
    await index.removeDocument(source);
    report({ source, status: 'removed', chunks: 0 });
  }

  const count = (status: FileOutcome['status']) =>
    outcomes.filter((file) => file.status === status).length;
  const summary: IngestSummary = {
    added: count('added'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    removed: count('removed'),
    failed: count('failed'),
    chunks: outcomes.reduce((sum, file) => sum + file.chunks, 0),
    files: outcomes,
  };
  if (summary.added + summary.updated + summary.removed > 0) await index.optimize();
  return summary;
}

async function ingestFile(source: string, options: IngestOptions): Promise<FileOutcome> {
  const { index } = options;
  const info = await stat(source);
  const existing = await index.getDocument(source);
  if (existing && existing.modifiedMs === info.mtimeMs && existing.sizeBytes === info.size) {
    return { source, status: 'unchanged', chunks: 0 };
  }
  const bytes = await readFile(source);
  const contentHash = sha256(bytes);
  if (existing && existing.contentHash === contentHash) {
    await index.touchDocument(source, info.mtimeMs);
    return { source, status: 'unchanged', chunks: 0 };
  }
  const extracted = await extractDocument(source, bytes);
  const title = extracted.title ?? basename(source, extname(source));
  const chunks = await prepareChunks(extracted, title, options);
  const document: DocumentRecord = {
    source,
    title,
    format: formatOf(source)!,
    contentHash,
    modifiedMs: info.mtimeMs,
    sizeBytes: info.size,
  };
  await index.replaceDocument(document, chunks);
  return { source, status: existing ? 'updated' : 'added', chunks: chunks.length };
}

/** Chunks a document, drops repeated chunks, and adds contexts and embeddings when configured. */
async function prepareChunks(
  extracted: ExtractedDocument,
  title: string,
  options: IngestOptions,
): Promise<ChunkRecord[]> {
  const seen = new Set<string>();
  const chunks: ChunkRecord[] = [];
  for (const chunk of chunkDocument(extracted, options.chunking)) {
    const contentHash = sha256(chunk.text);
    // Boilerplate repeated within a document (a footer on every page) is indexed once.
    if (seen.has(contentHash)) continue;
    seen.add(contentHash);
    chunks.push({ ...chunk, contentHash });
  }
  if (chunks.length === 0) return chunks;

  if (options.contextualizer) {
    const documentText = extracted.blocks.map((block) => block.text).join('\n\n');
    const contexts = await options.contextualizer.contextualize({
      documentTitle: title,
      documentText,
      chunks: chunks.map((chunk) => chunk.text),
    });
    chunks.forEach((chunk, position) => {
      if (contexts[position]) chunk.context = contexts[position];
    });
  }

  const provider = options.embeddings;
  if (provider && options.index.supportsVectors) {
    const inputs = chunks.map((chunk) =>
      [title, chunk.context, chunk.text].filter(Boolean).join('\n\n'),
    );
    const hashes = inputs.map((input) => sha256(input));
    const cached = await options.index.findEmbeddings(provider.model, hashes);
    const wanted = [...new Set(hashes.filter((hash) => !cached.has(hash)))];
    if (wanted.length > 0) {
      const vectors = await provider.embed(
        wanted.map((hash) => inputs[hashes.indexOf(hash)]!),
        'document',
      );
      wanted.forEach((hash, position) => cached.set(hash, vectors[position]!));
    }
    chunks.forEach((chunk, position) => {
      chunk.embedding = {
        model: provider.model,
        inputHash: hashes[position]!,
        vector: cached.get(hashes[position]!)!,
      };
    });
  }
  return chunks;
}

function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof KeelError) return { code: String(error.code), message: error.message };
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return {
    code: typeof code === 'string' ? code : 'unexpected',
    message: error instanceof Error ? error.message : String(error),
  };
}
