import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from './reciprocal-rank-fusion.ts';

describe('reciprocalRankFusion', () => {
  it('ranks items that several rankings place high above items one ranking places first', () => {
    const fused = reciprocalRankFusion({
      rankings: [
        ['a', 'b', 'c'],
        ['b', 'd', 'a'],
      ],
      key: (item) => item,
      k: 60,
    });
    expect(fused.map((entry) => entry.item)).toEqual(['b', 'a', 'd', 'c']);
    expect(fused[0]!.score).toBeCloseTo(1 / 62 + 1 / 61, 10);
    expect(fused.find((entry) => entry.item === 'd')!.ranks).toEqual([null, 1]);
  });
});
