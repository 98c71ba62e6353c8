/** Options for {@link reciprocalRankFusion}. */
export interface ReciprocalRankFusionOptions<T> {
  /** Rankings to fuse, each best first. */
  rankings: T[][];
  /** Identity of an item across rankings. */
  key: (item: T) => string;
  /** The damping constant; 60 is the value from Cormack et al. (2009). */
  k?: number;
}

/** One fused item: its score and its 0-based rank in each input ranking (null where absent). */
export interface FusedItem<T> {
  item: T;
  score: number;
  ranks: Array<number | null>;
}

/**
 * Reciprocal rank fusion: each ranking contributes 1 / (k + rank) for every item it holds, so
 * items that several rankings place high win, whatever the scale of the underlying scores.
 */
export function reciprocalRankFusion<T>(options: ReciprocalRankFusionOptions<T>): FusedItem<T>[] {
  const k = options.k ?? 60;
  const fused = new Map<string, FusedItem<T>>();
  options.rankings.forEach((ranking, which) => {
    ranking.forEach((item, rank) => {
      const id = options.key(item);
      let entry = fused.get(id);
      if (!entry) {
        entry = { item, score: 0, ranks: options.rankings.map(() => null) };
        fused.set(id, entry);
      }
      entry.score += 1 / (k + rank + 1);
      entry.ranks[which] = rank;
    });
  });
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
