import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import {
  chunkTitle,
  openKnowledgeIndex,
  streamAnswer,
  voyageEmbeddings,
  type Answer,
  type Citation,
} from '@keel/knowledge';
import type { Command } from '../command.ts';
import { openRecordedClaudeClient, type RecordedClaudeClient } from './recorded-claude-client.ts';

export const askCommand: Command = {
  name: 'ask',
  summary: 'Answer a question from the knowledge base, with sources',
  help: `Usage: keel ask "question" [--db PATH] [--postgres URL] [--model ID] [--chunks N]

Retrieves the most relevant chunks and streams an answer that uses only them, then lists the
sources cited. Says so when the knowledge base does not hold the answer (without calling the
model when nothing relevant is indexed). Without ANTHROPIC_API_KEY the answer comes from the
local Claude API emulator, and the output says so. The call is recorded in the ledger under the
feature "ask" (see keel usage).

Options:
  --db PATH        SQLite knowledge base (default KEEL_KNOWLEDGE_DB or .keel/knowledge.sqlite)
  --postgres URL   Use a PostgreSQL knowledge base instead
  --model ID       Answering model (default: the routing table's document_analysis model)
  --chunks N       Chunks sent as context (default 6)
  -h, --help       Show this help`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        postgres: { type: 'string' },
        model: { type: 'string' },
        chunks: { type: 'string', default: '6' },
      },
    });
    const question = positionals.join(' ').trim();
    const limit = Number(values.chunks);
    if (!question) {
      console.error('keel ask: give a question, e.g. keel ask "How do refunds work?"');
      return 2;
    }
    if (!Number.isInteger(limit) || limit < 1) {
      console.error(`keel ask: --chunks must be a positive integer, got "${values.chunks}"`);
      return 2;
    }
    const index = await openKnowledgeIndex({
      ...(values.db ? { path: values.db } : {}),
      ...(values.postgres ? { postgresUrl: values.postgres } : {}),
    });
    let emulator: EmulatorHandle | undefined;
    let recorded: RecordedClaudeClient | undefined;
    try {
      const { documents, embeddedChunks } = await index.stats();
      if (documents === 0) {
        console.error(
          'keel ask: the knowledge base is empty; add documents with `keel ingest <path>` first',
        );
        return 1;
      }
      if (!process.env['ANTHROPIC_API_KEY']) {
        emulator = await startEmulator();
        console.error(
          'No ANTHROPIC_API_KEY: this answer is EMULATED by the local Claude API emulator, not written by Claude.\n',
        );
      }
      recorded = await openRecordedClaudeClient({
        feature: 'ask',
        ...(emulator ? { connection: { apiKey: 'emulator', baseURL: emulator.url } } : {}),
      });
      const client = recorded.client;
      const hybrid = embeddedChunks > 0 && Boolean(process.env['VOYAGE_API_KEY']);
      let answer: Answer | undefined;
      for await (const event of streamAnswer({
        question,
        index,
        client,
        ...(values.model ? { model: values.model } : {}),
        ...(hybrid ? { embeddings: voyageEmbeddings() } : {}),
        retrieval: { limit },
      })) {
        if (event.type === 'text-delta') process.stdout.write(event.text);
        else if (event.type === 'finish') answer = event.answer;
      }
      if (answer) console.log(`\n${formatOutcome(answer)}`);
      return 0;
    } finally {
      await recorded?.close();
      await emulator?.close();
      await index.close();
    }
  },
};

/** The closing lines: cited sources, or why there is no answer. */
function formatOutcome(answer: Answer): string {
  if (answer.outcome === 'not_found') {
    const why = {
      no_relevant_chunks:
        'Nothing in the knowledge base matches this question; the model was not called.',
      model_declined: `Not in the knowledge base.${answer.text ? ` ${answer.text}` : ''}`,
      uncited:
        'The reply above cites nothing from the knowledge base, so it is not a grounded answer.',
    }[answer.reason];
    return why;
  }
  const numbers = new Map<string, number>();
  const lines: string[] = ['', 'Sources:'];
  const bySource = new Map<string, Citation[]>();
  for (const citation of answer.citations) {
    if (!numbers.has(citation.source)) numbers.set(citation.source, numbers.size + 1);
    bySource.set(citation.source, [...(bySource.get(citation.source) ?? []), citation]);
  }
  for (const [source, citations] of bySource) {
    const hit = answer.sources.find((candidate) => candidate.chunk.source === source);
    const title = hit ? chunkTitle(hit.chunk) : citations[0]!.title;
    const page = citations[0]!.page === undefined ? '' : `, page ${citations[0]!.page}`;
    lines.push(
      `  [${numbers.get(source)}] ${relative(process.cwd(), source) || source}${page} (${title})`,
    );
    for (const quote of new Set(citations.map((citation) => citation.citedText.trim()))) {
      lines.push(`      "${quote.length > 160 ? `${quote.slice(0, 157)}...` : quote}"`);
    }
  }
  return lines.join('\n');
}
