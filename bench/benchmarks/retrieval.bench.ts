import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  chunkDocument,
  openPostgresIndex,
  openSqliteIndex,
  sha256,
  type KnowledgeIndex,
  type SearchHit,
} from '@keel/knowledge';
import { percentile, type Benchmark } from '../benchmark.ts';

const dataDir = resolve(import.meta.dirname, '../../../shared/data/scifact');

interface CorpusDocument {
  _id: string;
  title: string;
  text: string;
}

async function* readJsonLines<T>(path: string): AsyncGenerator<T> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim()) yield JSON.parse(line) as T;
}

/** BEIR qrels: `query-id<TAB>corpus-id<TAB>score` with a header line. */
function readQrels(path: string): Map<string, Map<string, number>> {
  const judgements = new Map<string, Map<string, number>>();
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    const [queryId, documentId, score] = line.trim().split('\t');
    if (!queryId || !documentId) continue;
    if (!judgements.has(queryId)) judgements.set(queryId, new Map());
    judgements.get(queryId)!.set(documentId, Number(score));
  }
  return judgements;
}

/** nDCG@k with graded gains 2^rel - 1 (binary on SciFact). */
function ndcgAt(k: number, ranked: string[], relevant: Map<string, number>): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, index) => {
    const gain = relevant.get(id) ?? 0;
    if (gain > 0) dcg += (2 ** gain - 1) / Math.log2(index + 2);
  });
  const ideal = [...relevant.values()].filter((gain) => gain > 0).sort((a, b) => b - a);
  const idcg = ideal
    .slice(0, k)
    .reduce((sum, gain, index) => sum + (2 ** gain - 1) / Math.log2(index + 2), 0);
  return idcg === 0 ? 0 : dcg / idcg;
}

function recallAt(k: number, ranked: string[], relevant: Map<string, number>): number {
  const wanted = [...relevant].filter(([, gain]) => gain > 0).map(([id]) => id);
  const top = new Set(ranked.slice(0, k));
  return wanted.length === 0 ? 0 : wanted.filter((id) => top.has(id)).length / wanted.length;
}

/** Chunk hits to a document ranking: a document scores as its best chunk (MaxP). */
function documentRanking(hits: SearchHit[]): string[] {
  const seen = new Set<string>();
  for (const hit of hits) seen.add(hit.chunk.source);
  return [...seen];
}

export const benchmark: Benchmark = {
  name: 'retrieval',
  description:
    'Knowledge-base retrieval quality and speed on SciFact (BEIR): nDCG@10, recall@100, indexing time, query latency',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        corpus: { type: 'string', default: join(dataDir, 'corpus.jsonl') },
        queries: { type: 'string', default: join(dataDir, 'queries.train.jsonl') },
        qrels: { type: 'string', default: join(dataDir, 'qrels.train.tsv') },
        'title-weight': { type: 'string', default: '2.5' },
        backend: { type: 'string', default: 'sqlite' },
        postgres: { type: 'string', default: process.env['KEEL_TEST_POSTGRES_URL'] },
      },
    });
    const fieldWeights = {
      title: Number(values['title-weight']),
      headings: 1.5,
      context: 1,
      text: 1,
    };
    const directory = mkdtempSync(join(tmpdir(), 'keel-retrieval-'));
    const schema = `keel_retrieval_bench_${process.pid}`;
    let pool: pg.Pool | undefined;
    let index: KnowledgeIndex;
    if (values.backend === 'postgres') {
      if (!values.postgres)
        throw new Error('--backend postgres needs --postgres URL or KEEL_TEST_POSTGRES_URL');
      pool = new pg.Pool({ connectionString: values.postgres, max: 2 });
      index = openPostgresIndex({ pool, schema, fieldWeights });
      await index.migrate();
    } else {
      index = openSqliteIndex({ path: join(directory, 'knowledge.sqlite'), fieldWeights });
    }
    try {
      // Indexing goes through the product pipeline: chunking, hashing, one transaction per document.
      const indexStarted = performance.now();
      let documents = 0;
      for await (const document of readJsonLines<CorpusDocument>(values.corpus)) {
        const chunks = chunkDocument({
          title: document.title,
          blocks: [{ kind: 'paragraph', text: document.text }],
        }).map((chunk) => ({ ...chunk, contentHash: sha256(chunk.text) }));
        await index.replaceDocument(
          {
            source: document._id,
            title: document.title,
            format: 'text',
            contentHash: sha256(`${document.title}\n${document.text}`),
            modifiedMs: 0,
            sizeBytes: document.text.length,
          },
          chunks,
        );
        documents++;
      }
      await index.optimize();
      const indexingMs = performance.now() - indexStarted;
      const { chunks } = await index.stats();

      const judgements = readQrels(values.qrels);
      const latencies: number[] = [];
      // CPU time per query as well as wall time: on a shared machine wall time includes waiting
      // for a core, CPU time is what the query itself costs.
      const cpuTimes: number[] = [];
      let ndcgSum = 0;
      let recallSum = 0;
      let evaluated = 0;
      for await (const query of readJsonLines<{ _id: string; text: string }>(values.queries)) {
        const relevant = judgements.get(query._id);
        if (!relevant) continue;
        const started = performance.now();
        const cpuStarted = process.cpuUsage();
        // Chunks, not documents, are ranked: ask for enough that 100 distinct documents remain.
        const hits = await index.searchText({ query: query.text, limit: 130 });
        const cpu = process.cpuUsage(cpuStarted);
        latencies.push(performance.now() - started);
        cpuTimes.push((cpu.user + cpu.system) / 1000);
        const ranked = documentRanking(hits);
        ndcgSum += ndcgAt(10, ranked, relevant);
        recallSum += recallAt(100, ranked, relevant);
        evaluated++;
      }
      // Two more timing passes; each query's fastest of the three runs filters out time spent
      // waiting for a core on a shared machine (reported beside, never instead of, the raw figures).
      const fastest = [...latencies];
      const queryTexts: string[] = [];
      for await (const query of readJsonLines<{ _id: string; text: string }>(values.queries)) {
        if (judgements.has(query._id)) queryTexts.push(query.text);
      }
      for (let pass = 0; pass < 2; pass++) {
        for (const [position, text] of queryTexts.entries()) {
          const started = performance.now();
          await index.searchText({ query: text, limit: 130 });
          fastest[position] = Math.min(fastest[position]!, performance.now() - started);
        }
      }
      const fastestP50 = percentile(fastest, 50);
      const fastestP99 = percentile(fastest, 99);
      const ndcg10 = ndcgSum / evaluated;
      const recall100 = recallSum / evaluated;
      const p50 = percentile(latencies, 50);
      const p99 = percentile(latencies, 99);
      const cpuP50 = percentile(cpuTimes, 50);
      const cpuP99 = percentile(cpuTimes, 99);
      const load = loadavg()[0]!;
      const goals = { ndcg10: ndcg10 >= 0.7, queryP50: p50 < 5 };
      return {
        summary:
          `${values.backend}: nDCG@10 ${ndcg10.toFixed(4)} (goal >= 0.70 ${goals.ndcg10 ? 'met' : 'MISSED'}), ` +
          `recall@100 ${recall100.toFixed(4)}, indexed ${documents} docs / ${chunks} chunks in ` +
          `${(indexingMs / 1000).toFixed(2)} s, query p50 ${p50.toFixed(2)} ms ` +
          `(goal < 5 ms ${goals.queryP50 ? 'met' : 'MISSED'}), p99 ${p99.toFixed(2)} ms; ` +
          `CPU per query p50 ${cpuP50.toFixed(2)} ms, p99 ${cpuP99.toFixed(2)} ms; ` +
          `best of 3 runs p50 ${fastestP50.toFixed(2)} ms, p99 ${fastestP99.toFixed(2)} ms; ` +
          `load average ${load.toFixed(1)}`,
        results: {
          backend: values.backend === 'postgres' ? 'postgres-tsvector' : 'sqlite-fts5',
          corpus: values.corpus,
          queriesFile: values.queries,
          qrelsFile: values.qrels,
          documents,
          chunks,
          queriesEvaluated: evaluated,
          ndcgAt10: ndcg10,
          recallAt100: recall100,
          indexingMs,
          queryLatencyMs: {
            p50,
            p99,
            mean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
          },
          queryCpuMs: { p50: cpuP50, p99: cpuP99 },
          queryBestOfThreeMs: { p50: fastestP50, p99: fastestP99 },
          loadAverageAtEnd: load,
          fieldWeights,
          goals,
        },
      };
    } finally {
      await index.close();
      await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool?.end();
      rmSync(directory, { recursive: true, force: true });
    }
  },
};
