import { describe, expect, it } from 'vitest';
import type { ToolParam } from '../messages/request-schema.ts';
import { canonicalStem, impliedActions } from './tool-intents.ts';
import { selectTools } from './tool-selection.ts';
import { stem } from './words.ts';

const adder: ToolParam = {
  name: 'AdderTool',
  description: 'Add two integers',
  input_schema: { type: 'object' },
};
const read: ToolParam = {
  name: 'Read',
  description: 'Reads a file from the local filesystem.',
  input_schema: { type: 'object' },
};
const write: ToolParam = {
  name: 'Write',
  description: 'Writes a file to the local filesystem.',
  input_schema: { type: 'object' },
};

describe('tool intents', () => {
  it('folds words for the same action together', () => {
    expect(canonicalStem(stem('sum'))).toBe('add');
    expect(canonicalStem(stem('adder'))).toBe('add');
    expect(canonicalStem(stem('addition'))).toBe('add');
    expect(canonicalStem(stem('weather'))).toBe(stem('weather'));
  });

  it('reads arithmetic symbols and questions about a file', () => {
    expect(impliedActions('What is 3 + 4')).toEqual(['add']);
    expect(impliedActions('What does the file notes.txt in this folder say?')).toEqual(['read']);
    expect(impliedActions('Say hello')).toEqual([]);
    expect(impliedActions('Read me a poem')).toEqual([]);
  });

  it('picks the adder for a sum and the reader for a file question, and nothing for a greeting', () => {
    expect(selectTools({ tools: [adder], text: 'What is the sum of 3 and 4?' })).toEqual([adder]);
    expect(selectTools({ tools: [adder], text: 'What is 3 + 4' })).toEqual([adder]);
    expect(
      selectTools({ tools: [write, read], text: 'What does the file notes.txt say?' }),
    ).toEqual([read]);
    expect(selectTools({ tools: [adder, read, write], text: 'Say hello' })).toEqual([]);
  });
});
