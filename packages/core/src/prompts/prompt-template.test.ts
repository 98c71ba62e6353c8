import { describe, expect, it } from 'vitest';
import { PromptVariablesError } from './prompt-file-error.ts';
import { loadPromptFile, parsePromptFile } from './parse-prompt-file.ts';

const codeReview = loadPromptFile(
  new URL('./__fixtures__/valid/code-review.md', import.meta.url).pathname,
);

const good = {
  diff: '+ const x = {{max_issues}};',
  language: 'typescript',
  strict: true,
  focus: ['security', 'correctness'],
  max_issues: 3,
};

function variablesError(run: () => unknown): PromptVariablesError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PromptVariablesError);
    return error as PromptVariablesError;
  }
  throw new Error('expected a PromptVariablesError');
}

describe('PromptTemplate.render', () => {
  it('fills variables into system and user turn, after the few-shot examples', () => {
    const rendered = codeReview.render(good);
    expect(rendered.system).toBe(
      'You are a code review assistant for a team that builds typescript applications.\nReport at most 3 issues.',
    );
    expect(rendered.messages).toHaveLength(3);
    expect(rendered.messages[0]).toEqual({
      role: 'user',
      content: 'Review this typescript change: const x = 1',
    });
    expect(rendered.messages[1]).toEqual({
      role: 'assistant',
      content: '{"summary":"Trivial constant.","approved":true}',
    });
    // A value containing a placeholder is inserted literally, never expanded.
    expect(rendered.messages[2]).toEqual({
      role: 'user',
      content:
        'Review this typescript change (strict mode: true, focus: security, correctness):\n\n+ const x = {{max_issues}};\n',
    });
    expect(rendered).toMatchObject({
      model: 'claude-sonnet-4-6',
      maxTokens: 2048,
      temperature: 0.2,
      tags: { promptId: 'code-review', promptVersion: codeReview.version },
    });
    expect(rendered.outputSchema).toMatchObject({ required: ['summary', 'approved'] });
  });

  it('renders an optional variable that is absent as empty text', () => {
    const { focus: _focus, ...withoutFocus } = good;
    expect(codeReview.render(withoutFocus).messages[2]?.content).toContain('focus: )');
  });

  it('applies per-environment overrides', () => {
    expect(codeReview.settings('development')).toEqual({
      model: 'claude-haiku-4-5',
      maxTokens: 512,
      temperature: 0.2,
    });
    expect(codeReview.render(good, { environment: 'production' })).toMatchObject({
      model: 'claude-sonnet-4-6',
      maxTokens: 2048,
      temperature: 0,
    });
    expect(codeReview.settings('staging')).toEqual(codeReview.settings());
  });

  it('reports missing, extra and wrongly typed variables together', () => {
    const error = variablesError(() =>
      codeReview.render({
        language: 'rust',
        strict: 'yes' as unknown as boolean,
        focus: [1, 2],
        max_issues: Number.NaN,
        reviewer: 'me',
      }),
    );
    expect(error.code).toBe('prompt_variables_invalid');
    expect(error.details).toEqual({
      promptId: 'code-review',
      promptVersion: codeReview.version,
      missing: ['diff'],
      extra: ['reviewer'],
      wrongType: [
        { name: 'language', expected: 'one of "typescript", "python"' },
        { name: 'strict', expected: 'a boolean' },
        { name: 'focus', expected: 'a list of strings' },
        { name: 'max_issues', expected: 'a number' },
      ],
    });
  });

  it('renders a prompt without variables or user template', () => {
    const prompt = parsePromptFile({
      text: '---\nid: plain\ntask: chat_response\nmax_tokens: 50\n---\nBe brief.\n',
      file: 'plain.md',
    });
    expect(prompt.render()).toEqual({
      task: 'chat_response',
      maxTokens: 50,
      system: 'Be brief.',
      messages: [],
      tags: { promptId: 'plain', promptVersion: prompt.version },
    });
    expect(() => prompt.render({ extra: 'x' })).toThrow(PromptVariablesError);
  });
});
