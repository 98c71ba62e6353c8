import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../seeded-random.ts';
import { countTextTokens, tokenize } from './tokenizer.ts';

describe('tokenizer', () => {
  it('splits words, long words every five letters, numbers every three digits, and punctuation', () => {
    expect(tokenize('Hello, world!')).toEqual(['Hello', ',', ' world', '!']);
    expect(tokenize('internationalization')).toEqual(['inter', 'natio', 'naliz', 'ation']);
    expect(tokenize('12345')).toEqual(['123', '45']);
    expect(countTextTokens('   ')).toBe(0);
  });

  it('counts exactly as many tokens as tokenize() returns, ASCII or not', () => {
    const random = new SeededRandom(3);
    const alphabet = [
      'a',
      'Z',
      'q',
      '7',
      '0',
      ' ',
      '\n',
      '\t',
      '.',
      '{',
      '"',
      '\u0000',
      '\u001f',
      'é',
      'ß',
      '日',
      '٣',
      '\u00a0',
      '\u2028',
      '😀',
      '\u0301',
    ];
    for (let round = 0; round < 2_000; round++) {
      const ascii = round % 2 === 0;
      const pool = ascii ? alphabet.slice(0, 13) : alphabet;
      let text = '';
      const length = Math.floor(random.next() * 40);
      for (let i = 0; i < length; i++) text += pool[Math.floor(random.next() * pool.length)];
      expect(countTextTokens(text), JSON.stringify(text)).toBe(tokenize(text).length);
    }
  });
});
