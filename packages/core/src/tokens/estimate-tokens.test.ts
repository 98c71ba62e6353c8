import Anthropic from '@anthropic-ai/sdk';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { defaultModelCatalog } from '@keel/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateInputTokens, estimateTextTokens } from './estimate-tokens.ts';
import { tokenizerForModel } from './tokenizer-for-model.ts';

/** Texts in the scripts budgets meet, each a few sentences long. */
const texts = {
  english:
    'Prompt caching lets you resume from specific prefixes in your prompts, which significantly ' +
    'reduces processing time and costs for repetitive tasks. Internationalization is hard.',
  code:
    'export function fibonacci(n: number): number[] {\n  const result = [0, 1];\n' +
    '  while (result.length < n) result.push(result.at(-1)! + result.at(-2)!);\n' +
    '  return result.slice(0, n); // 12345678\n}\n',
  json: JSON.stringify({ id: 'msg_01', items: [{ sku: 'A-100', qty: 3, price: 19.99 }], ok: true }),
  chinese:
    '人工智能正在改变我们的生活方式，也在改变我们工作和学习的方法。我们需要认真思考它带来的机遇和挑战。',
  japanese:
    'こんにちは、世界。今日はとてもいい天気ですね。散歩に行きましょう。東京タワーが見えます。',
  korean: '안녕하세요, 오늘 날씨가 정말 좋네요. 같이 산책하러 갈까요? 한국어 토큰 수를 확인합니다.',
  arabic: 'مرحبا بكم في هذا الاختبار. نحن نتحقق من عدد الرموز في النص العربي اليوم.',
  russian: 'Привет! Сегодня мы проверяем, сколько токенов занимает русский текст в этой модели.',
  hindi: 'नमस्ते दुनिया। आज हम यह जाँच रहे हैं कि हिंदी पाठ में कितने टोकन होते हैं।',
  emoji: 'Great job 🎉🎉 👍🏽 👨‍👩‍👧 🇫🇷 ❤️ done ✅',
  accented: 'Le café crème à la française, déjà très apprécié, coûte 3,50 €.',
};

/** One model per tokenizer family. */
const models = { 'claude-3': 'claude-sonnet-4-6', 'claude-4-7': 'claude-opus-5-5' } as const;

let emulator: EmulatorHandle;
let client: Anthropic;

beforeAll(async () => {
  emulator = await startEmulator();
  client = new Anthropic({ apiKey: 'estimate-key', baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

describe('the local estimate', () => {
  for (const [family, model] of Object.entries(models)) {
    describe(`for ${model} (${family})`, () => {
      it('takes the family from the catalog', () => {
        expect(tokenizerForModel(model)).toBe(family);
      });

      it.each(Object.entries(texts))(
        'never undercounts %s text, and stays within 2.5x',
        async (_script, text) => {
          const request = { messages: [{ role: 'user' as const, content: text }] };
          const counted = await client.messages.countTokens({ model, ...request });
          const estimate = estimateInputTokens(request, { tokenizer: tokenizerForModel(model) });
          expect(estimate).toBeGreaterThanOrEqual(counted.input_tokens);
          expect(estimate).toBeLessThanOrEqual(counted.input_tokens * 2.5);
        },
      );

      it('never undercounts a request with a system prompt, tools and a tool loop', async () => {
        const request = {
          system: texts.english,
          tools: [
            {
              name: 'lookup_order',
              description: 'Look up an order by its id',
              input_schema: {
                type: 'object' as const,
                properties: { id: { type: 'string', description: 'The order id, e.g. A-100' } },
                required: ['id'],
              },
            },
          ],
          messages: [
            { role: 'user' as const, content: texts.chinese },
            {
              role: 'assistant' as const,
              content: [
                {
                  type: 'tool_use' as const,
                  id: 'toolu_1',
                  name: 'lookup_order',
                  input: { id: 'A-100' },
                },
              ],
            },
            {
              role: 'user' as const,
              content: [
                { type: 'tool_result' as const, tool_use_id: 'toolu_1', content: texts.json },
                { type: 'text' as const, text: texts.russian },
              ],
            },
          ],
        };
        // Forced tool choice has the larger tool-use prompt, where the model accepts it.
        const forced = defaultModelCatalog().get(model).capabilities.forcedToolChoice;
        const choices = forced ? (['auto', 'any'] as const) : (['auto', 'none'] as const);
        for (const toolChoice of choices.map((type) => ({ type }))) {
          const counted = await client.messages.countTokens({
            model,
            ...request,
            tool_choice: toolChoice,
          });
          const estimate = estimateInputTokens(request, { tokenizer: tokenizerForModel(model) });
          expect(estimate).toBeGreaterThanOrEqual(counted.input_tokens);
        }
      });
    });
  }

  it('never undercounts a structured-output request', async () => {
    for (const [family, model] of Object.entries(models)) {
      const request = {
        messages: [{ role: 'user' as const, content: texts.english }],
        output_config: {
          format: {
            type: 'json_schema' as const,
            schema: {
              type: 'object',
              properties: { summary: { type: 'string' }, score: { type: 'integer' } },
              required: ['summary', 'score'],
              additionalProperties: false,
            },
          },
        },
      };
      const counted = await client.messages.countTokens({ model, ...request });
      const estimate = estimateInputTokens(request, { tokenizer: tokenizerForModel(model) });
      expect(estimate, family).toBeGreaterThanOrEqual(counted.input_tokens);
    }
  });

  it('assumes the newer, larger tokenizer when the model is unknown', () => {
    expect(estimateTextTokens(texts.chinese)).toBeGreaterThan(
      estimateTextTokens(texts.chinese, { tokenizer: 'claude-3' }),
    );
    expect(tokenizerForModel('claude-unknown-9')).toBeUndefined();
  });

  it('counts CJK at about a token a character, not a token every 3.5 characters', () => {
    const estimate = estimateTextTokens(texts.chinese, { tokenizer: 'claude-3' });
    expect(estimate).toBeGreaterThanOrEqual(texts.chinese.length * 0.9);
  });
});
