import { describe, expect, it } from 'vitest';
import { imageProblem } from './attach-images.ts';

describe('imageProblem', () => {
  it('accepts PNG, JPEG, GIF and WebP within the size limit', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp']) {
      expect(imageProblem({ name: 'a', type, size: 1000 }, 5_000_000)).toBeUndefined();
    }
  });

  it('refuses other types, empty files and files over the limit, saying which and why', () => {
    expect(imageProblem({ name: 'x.svg', type: 'image/svg+xml', size: 10 }, 100)).toBe(
      'x.svg is not a PNG, JPEG, GIF or WebP image.',
    );
    expect(imageProblem({ name: 'big.png', type: 'image/png', size: 6_200_000 }, 5_000_000)).toBe(
      'big.png is 6.2 MB; the limit is 5.0 MB.',
    );
    expect(imageProblem({ name: 'e.png', type: 'image/png', size: 0 }, 100)).toBe(
      'e.png is empty.',
    );
  });
});
