import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import {
  claudeChunkContextualizer,
  ingest,
  openKnowledgeIndex,
  voyageEmbeddings,
  type FileOutcome,
} from '@keel/knowledge';
import type { Command } from '../command.ts';
import { openRecordedClaudeClient, type RecordedClaudeClient } from './recorded-claude-client.ts';

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'Add files and folders to the knowledge base (incremental)',
  help: `Usage: keel ingest <path>... [--db PATH] [--postgres URL] [--embed] [--contextual]

Indexes Markdown, text, HTML, PDF and DOCX files. Folders are walked recursively; only files
that changed since the last run are re-read, and files deleted from an ingested folder are
removed from the index.

Options:
  --db PATH        SQLite knowledge base (default KEEL_KNOWLEDGE_DB or .keel/knowledge.sqlite)
  --postgres URL   Use a PostgreSQL knowledge base instead
  --embed          Also embed chunks with Voyage AI (needs VOYAGE_API_KEY) for hybrid search
  --contextual     Add contextual-retrieval text to each chunk with the routing table's
                   summarization model
                   (needs ANTHROPIC_API_KEY; generated once per document version)
  -h, --help       Show this help`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        postgres: { type: 'string' },
        embed: { type: 'boolean', default: false },
        contextual: { type: 'boolean', default: false },
      },
    });
    if (positionals.length === 0) {
      console.error('keel ingest: give at least one file or folder');
      return 2;
    }
    if (values.contextual && !process.env['ANTHROPIC_API_KEY']) {
      console.error(
        'keel ingest: --contextual needs ANTHROPIC_API_KEY (contexts are stored, so they must come from Claude)',
      );
      return 2;
    }
    const index = await openKnowledgeIndex({
      ...(values.db ? { path: values.db } : {}),
      ...(values.postgres ? { postgresUrl: values.postgres } : {}),
    });
    const live = process.stderr.isTTY;
    let recorded: RecordedClaudeClient | undefined;
    try {
      if (values.contextual) {
        recorded = await openRecordedClaudeClient({ feature: 'ingest-contextual' });
      }
      const summary = await ingest({
        index,
        paths: positionals,
        ...(values.embed ? { embeddings: voyageEmbeddings() } : {}),
        ...(values.contextual
          ? { contextualizer: claudeChunkContextualizer({ client: recorded!.client }) }
          : {}),
        onProgress: ({ done, total, file }) => {
          const line = `[${done}/${total}] ${describe(file)}`;
          if (live && file.status !== 'failed') process.stderr.write(`\r\x1b[2K${line}`);
          else process.stderr.write(`${live ? '\r\x1b[2K' : ''}${line}\n`);
        },
      });
      if (live) process.stderr.write('\r\x1b[2K');
      const stats = await index.stats();
      console.log(
        `${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ` +
          `${summary.removed} removed, ${summary.failed} failed; ${summary.chunks} chunks written. ` +
          `Knowledge base: ${stats.documents} documents, ${stats.chunks} chunks.`,
      );
      return summary.failed > 0 ? 1 : 0;
    } finally {
      await recorded?.close();
      await index.close();
    }
  },
};

function describe(file: FileOutcome): string {
  const name = relative(process.cwd(), file.source) || file.source;
  if (file.status === 'failed')
    return `failed ${name}: ${file.error?.message ?? 'unknown error'} (${file.error?.code})`;
  return `${file.status} ${name}${file.chunks > 0 ? ` (${file.chunks} chunks)` : ''}`;
}
