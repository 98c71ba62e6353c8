import { describe, expect, it } from 'vitest';
import type { KeelWarning } from '../warnings/keel-warning.ts';
import { parsePromptFile } from './parse-prompt-file.ts';

const prompt = (front: string[]) =>
  ['---', 'id: summary', 'max_tokens: 256', ...front, '---', '', 'Summarise in one line.'].join(
    '\n',
  );

function load(front: string[], apiVersion?: string) {
  const warnings: KeelWarning[] = [];
  const template = parsePromptFile({
    text: prompt(front),
    file: 'summary.md',
    ...(apiVersion ? { apiVersion } : {}),
    onWarning: (warning) => warnings.push(warning),
  });
  return { template, warnings };
}

describe('a prompt file’s sampling settings, checked at load', () => {
  it('warns when the model accepts only defaults (2023-06-01), naming file, line and model', () => {
    const { template, warnings } = load(
      ['model: claude-opus-5-5', 'temperature: 0.3'],
      '2023-06-01',
    );
    expect(template.warnings).toEqual([
      'summary.md:5: temperature: temperature 0.3 not sent to claude-opus-5-5: claude-opus-5-5 accepts only default sampling parameters; remove it, or use a model that accepts it',
    ]);
    expect(warnings).toEqual([
      {
        code: 'prompt_sampling_parameters_ignored',
        message: `Keel: ${template.warnings[0]}`,
        details: { file: 'summary.md', promptId: 'summary' },
      },
    ]);
  });

  it('warns for every model under the SDK’s version (2026-10-21), the default', () => {
    const { template } = load(['model: claude-haiku-4-5', 'temperature: 0.3']);
    expect(template.warnings).toHaveLength(1);
    expect(template.warnings[0]).toMatch(/API version 2026-10-21 has no sampling parameters/);
    // A prompt routed by task alone is still checked against the version.
    expect(load(['task: summarise', 'temperature: 0.3']).template.warnings[0]).toMatch(
      /not sent to the model of task "summarise": API version 2026-10-21/,
    );
  });

  it('is quiet where the temperature reaches the model, or is the default', () => {
    expect(load(['model: claude-haiku-4-5', 'temperature: 0.3'], '2023-06-01').warnings).toEqual(
      [],
    );
    expect(load(['model: claude-opus-5-5', 'temperature: 1']).warnings).toEqual([]);
    expect(load(['model: claude-opus-5-5']).warnings).toEqual([]);
  });

  it('checks each environment’s model and temperature', () => {
    const { template } = load(
      [
        'model: claude-haiku-4-5',
        'temperature: 0.3',
        'environments:',
        '  production:',
        '    model: claude-sonnet-5-5',
        '  staging:',
        '    temperature: 0.5',
      ],
      '2023-06-01',
    );
    expect(template.warnings).toEqual([
      expect.stringMatching(
        /^summary\.md:5: temperature: temperature 0\.3 not sent to claude-sonnet-5-5/,
      ),
    ]);
  });

  it('uses Node’s warning channel when no listener is given', async () => {
    const received = new Promise<Error & { code?: string }>((resolve) =>
      process.once('warning', resolve),
    );
    parsePromptFile({
      text: prompt(['model: claude-opus-5-5', 'temperature: 0.3']),
      file: 'summary.md',
    });
    const warning = await received;
    expect(warning.name).toBe('KeelWarning');
    expect(warning.code).toBe('prompt_sampling_parameters_ignored');
    expect(warning.message).toMatch(/^Keel: summary\.md:5: temperature/);
  });
});
