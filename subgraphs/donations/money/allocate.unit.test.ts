import { describe, expect, it } from 'vitest';
import { allocateByWeights } from './money.ts';

describe('allocateByWeights', () => {
  it('splits exactly, the units left over to the largest remainders, ties to the earlier part', () => {
    expect(allocateByWeights(10001n, [5000, 3333, 1667])).toEqual([5001n, 3333n, 1667n]);
    expect(allocateByWeights(5000500n, [5000, 3333, 1667])).toEqual([2500250n, 1666667n, 833583n]);
    expect(allocateByWeights(1n, [1, 1, 1])).toEqual([1n, 0n, 0n]);
    expect(allocateByWeights(2n, [1, 1, 1])).toEqual([1n, 1n, 0n]);
    expect(allocateByWeights(0n, [10000])).toEqual([0n]);
  });

  it('always sums to the total, past 2^53, and never moves a part by more than one unit from its exact share', () => {
    let seed = 17;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let run = 0; run < 500; run++) {
      const weights = Array.from({ length: 1 + (next() % 6) }, () => 1 + (next() % 10000));
      const total = BigInt(next()) * BigInt(next()) * 1000n;
      const parts = allocateByWeights(total, weights);
      expect(parts.reduce((a, p) => a + p, 0n)).toBe(total);
      const sum = BigInt(weights.reduce((a, w) => a + w, 0));
      parts.forEach((p, i) => {
        const floor = (total * BigInt(weights[i]!)) / sum;
        expect(p === floor || p === floor + 1n).toBe(true);
      });
    }
  });
});
