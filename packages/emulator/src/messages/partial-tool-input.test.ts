import { partialParse } from '@anthropic-ai/sdk/_vendor/partial-json-parser/parser';
import { describe, expect, it } from 'vitest';
import { partialToolInput } from './partial-tool-input.ts';

const inputs: Array<Record<string, unknown>> = [
  { city: 'Paris', units: 'celsius' },
  {
    items: [
      { name: 'granny smith apples', quantity: 3 },
      { name: 'oat milk', note: 'carton' },
    ],
  },
  { n: 12.5, big: -3e21, flag: true, none: null, off: false, nested: { deep: [1, [2, 3], {}] } },
  { quote: 'say "hi" \\ then\nleave', empty: '', list: [] },
  {},
];

describe('partialToolInput', () => {
  it('equals what the official SDK parses from every prefix of the JSON text', () => {
    for (const input of inputs) {
      const json = JSON.stringify(input);
      for (let length = 0; length <= json.length; length++) {
        const prefix = json.slice(0, length);
        const sdk: unknown = prefix === '' ? {} : partialParse(prefix);
        expect(partialToolInput(input, length), `prefix ${prefix}`).toEqual(sdk);
      }
    }
  });

  it('keeps whole members and drops a key whose value has not begun', () => {
    expect(
      partialToolInput({ city: 'Paris', units: 'celsius' }, '{"city":"Paris","un'.length),
    ).toEqual({
      city: 'Paris',
    });
    expect(partialToolInput({ city: 'Paris' }, '{"city":"Par'.length)).toEqual({});
  });
});
