import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../seeded-random.ts';
import { countTextTokens, newerTokenizerRatio, tokenize } from './tokenizer.ts';
import { tokenizerFamilyOf } from './tokenizer-family.ts';

const samples = {
  english:
    'Prompt caching lets you resume from specific prefixes in your prompts, which significantly ' +
    'reduces processing time and costs for repetitive tasks or prompts with consistent elements.',
  code: 'def fibonacci(n: int) -> list[int]:\n    result = [0, 1]\n    while len(result) < n:\n        result.append(result[-1] + result[-2])\n    return result[:n]\n',
  chinese: '人工智能正在改变我们的生活方式，也在改变我们工作和学习的方法。',
  japanese: 'こんにちは、世界。今日はとてもいい天気ですね。散歩に行きましょう。',
  korean: '안녕하세요, 오늘 날씨가 정말 좋네요. 같이 산책하러 갈까요?',
};

describe('tokenizer', () => {
  it('keeps short words whole, splits long words, numbers every three digits, and punctuation', () => {
    expect(tokenize('Hello, world!')).toEqual(['Hello', ',', ' world', '!']);
    expect(tokenize('internationalization')).toEqual(['intern', 'ati', 'ona', 'liz', 'ati', 'on']);
    expect(tokenize('12345')).toEqual(['123', '45']);
    expect(countTextTokens('   ')).toBe(0);
  });

  it('lands English prose near the documented 3.5 to 4.2 characters a token', () => {
    const charactersPerToken = samples.english.length / countTextTokens(samples.english);
    expect(charactersPerToken).toBeGreaterThanOrEqual(3.5);
    expect(charactersPerToken).toBeLessThanOrEqual(4.3);
  });

  it('counts code denser than prose, and CJK at most about one token per character', () => {
    const perCharacter = (text: string) => countTextTokens(text) / text.length;
    expect(perCharacter(samples.code)).toBeGreaterThan(perCharacter(samples.english));
    for (const text of [samples.chinese, samples.japanese]) {
      expect(perCharacter(text)).toBeGreaterThanOrEqual(0.8);
      expect(perCharacter(text)).toBeLessThanOrEqual(1);
    }
    // Korean measured about 0.62 tokens a character, spaces included.
    expect(perCharacter(samples.korean)).toBeGreaterThanOrEqual(0.55);
    expect(perCharacter(samples.korean)).toBeLessThanOrEqual(0.85);
  });

  it('counts the newer tokenizer about 30% higher for the same text', () => {
    for (const text of Object.values(samples)) {
      const base = countTextTokens(text, 'claude-3');
      expect(countTextTokens(text, 'claude-4-7')).toBe(Math.ceil(base * newerTokenizerRatio));
    }
  });

  it('infers the family from the model id when the catalog gives none', () => {
    expect(tokenizerFamilyOf('claude-opus-4-7')).toBe('claude-4-7');
    expect(tokenizerFamilyOf('claude-sonnet-5-5')).toBe('claude-4-7');
    expect(tokenizerFamilyOf('claude-fable-5-1')).toBe('claude-4-7');
    expect(tokenizerFamilyOf('claude-opus-4-6')).toBe('claude-3');
    expect(tokenizerFamilyOf('claude-opus-4-20250514')).toBe('claude-3');
    expect(tokenizerFamilyOf({ id: 'claude-opus-4-6', tokenizer: 'claude-4-7' })).toBe(
      'claude-4-7',
    );
  });

  it('counts exactly as many tokens as tokenize() returns, and loses no text, ASCII or not', () => {
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
      '本',
      'あ',
      '한',
      'я',
      'Ж',
      'ب',
      '٣',
      '\u00a0',
      '\u2028',
      '😀',
      '\u0301',
      'ー',
    ];
    for (let round = 0; round < 3_000; round++) {
      const ascii = round % 2 === 0;
      const pool = ascii ? alphabet.slice(0, 13) : alphabet;
      let text = '';
      const length = Math.floor(random.next() * 40);
      for (let i = 0; i < length; i++) text += pool[Math.floor(random.next() * pool.length)];
      const pieces = tokenize(text);
      expect(countTextTokens(text), JSON.stringify(text)).toBe(pieces.length);
      expect(pieces.join(''), JSON.stringify(text)).toBe(text.replace(/\s+$/u, ''));
    }
  });
});
