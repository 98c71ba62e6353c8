import { describe, expect, it } from 'vitest';
import { continuationRequest, continueInstruction } from './continuation-request.ts';

const request = {
  model: 'claude-opus-5-5',
  max_tokens: 500,
  thinking: { type: 'adaptive' as const },
  messages: [{ role: 'user' as const, content: 'Tell me about tides.' }],
};
const partial = {
  model: 'claude-haiku-4-5',
  partialText: 'Tides are caused by ',
  usage: { output: 120 },
};

describe('continuationRequest', () => {
  it('continues with a prefill where the model takes one', () => {
    expect(continuationRequest(request, partial, { prefill: true })).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 380,
      messages: [...request.messages, { role: 'assistant', content: 'Tides are caused by' }],
    });
  });

  it('asks the model to carry on where a prefill would be refused', () => {
    expect(continuationRequest(request, partial, { prefill: false }).messages).toEqual([
      ...request.messages,
      { role: 'assistant', content: 'Tides are caused by' },
      { role: 'user', content: continueInstruction },
    ]);
  });
});
