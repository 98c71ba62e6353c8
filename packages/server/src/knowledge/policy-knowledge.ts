import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { defineTool, type AgentTool } from '@keel/core';
import {
  chunkTitle,
  ingest,
  openSqliteIndex,
  retrieve,
  type IngestSummary,
  type SqliteKnowledgeIndex,
} from '@keel/knowledge';
import { z } from 'zod';

/** The name of the knowledge search tool; its results reach the model as `search_result` blocks. */
export const searchPoliciesToolName = 'search_policies';

/** One search hit as the tool returns it (expanded to a `search_result` block for the model). */
export interface PolicySearchResult {
  /** The document's path relative to the knowledge folder's parent, e.g. `knowledge/returns.md`. */
  source: string;
  /** The document title and section headings. */
  title: string;
  /** The passage text. */
  content: string[];
}

/** The store policies: a folder of documents ingested into a SQLite full-text index. */
export class PolicyKnowledge {
  readonly index: SqliteKnowledgeIndex;
  readonly #folder: string;

  constructor(options: { folder: string; indexPath: string }) {
    if (options.indexPath !== ':memory:')
      mkdirSync(dirname(options.indexPath), { recursive: true });
    this.index = openSqliteIndex({ path: options.indexPath, useSqliteVec: false });
    this.#folder = options.folder;
  }

  /** Ingests the folder (incremental: unchanged files are skipped). */
  ingest(): Promise<IngestSummary> {
    return ingest({ index: this.index, paths: [this.#folder] });
  }

  /** The passages that answer a question, best first. */
  async search(query: string, limit: number): Promise<PolicySearchResult[]> {
    const { chunks } = await retrieve({ index: this.index, query, limit });
    return chunks.map(({ chunk }) => ({
      source: sourceName(chunk.source, this.#folder),
      title: chunkTitle(chunk),
      content: [chunk.text],
    }));
  }

  /** The `search_policies` tool. */
  tool(limit: number): AgentTool {
    return defineTool({
      name: searchPoliciesToolName,
      description:
        'Search the store policies (returns, refunds, shipping, delivery, warranty, damaged items). Use it for every policy question and answer from its results.',
      input: z.strictObject({
        query: z.string().min(1).max(500).describe('What to look up, in a few words'),
      }),
      handler: async ({ query }) => ({ search_results: await this.search(query, limit) }),
    });
  }

  close(): void {
    void this.index.close();
  }
}

function sourceName(source: string, folder: string): string {
  const parent = dirname(folder);
  return source.startsWith(parent) ? source.slice(parent.length + 1) : source;
}
