import { ValidationError } from '@keel/errors';
import { describe, expect, it } from 'vitest';
import { loadRoutingTable, parseRoutingTable } from './routing-table.ts';

describe('the shipped routing table', () => {
  const table = loadRoutingTable();

  it.each([
    ['classification', 'claude-haiku-5-5'],
    ['summarization', 'claude-haiku-5-5'],
    ['data extraction', 'claude-haiku-5-5'],
    ['intent-detection', 'claude-haiku-5-5'],
    ['code_review', 'claude-sonnet-5-5'],
    ['document_analysis', 'claude-sonnet-5-5'],
    ['chat', 'claude-sonnet-5-5'],
    ['complex_reasoning', 'claude-opus-5-5'],
    ['Creative Writing', 'claude-opus-5-5'],
    ['translation', 'claude-sonnet-5-5'],
  ])('routes %s to %s', (task, model) => {
    expect(table.route(task).model).toBe(model);
  });

  it('says when the default was used', () => {
    expect(table.route('translation').source).toBe('default');
    expect(table.route(undefined)).toEqual({
      model: 'claude-sonnet-5-5',
      task: undefined,
      source: 'default',
    });
  });

  it('ships a fallback chain for Sonnet 5.5', () => {
    expect(table.fallbacksFor('claude-sonnet-5-5')).toEqual([
      'claude-sonnet-5',
      'claude-haiku-5-5',
    ]);
  });
});

describe('overrides', () => {
  const data = {
    default: 'claude-sonnet-4-6',
    tasks: { chat: 'claude-sonnet-4-6', classification: 'claude-haiku-4-5' },
    environments: {
      development: { default: 'claude-haiku-4-5', tasks: { chat: 'claude-haiku-4-5' } },
      production: { tasks: { chat: 'claude-opus-4-6' } },
    },
  };

  it('applies the environment, then configuration', () => {
    expect(
      parseRoutingTable(data, 'test', { environment: 'development' }).route('chat').model,
    ).toBe('claude-haiku-4-5');
    expect(
      parseRoutingTable(data, 'test', { environment: 'development' }).route('other').model,
    ).toBe('claude-haiku-4-5');
    expect(parseRoutingTable(data, 'test', { environment: 'production' }).route('chat').model).toBe(
      'claude-opus-4-6',
    );
    expect(parseRoutingTable(data, 'test', { environment: 'staging' }).route('chat').model).toBe(
      'claude-sonnet-4-6',
    );
    const configured = parseRoutingTable(data, 'test', {
      environment: 'production',
      override: { tasks: { chat: 'claude-sonnet-4-5' } },
    });
    expect(configured.route('chat').model).toBe('claude-sonnet-4-5');
  });

  it('rejects unknown models and bad shapes, naming the file and field', () => {
    const error = (() => {
      try {
        parseRoutingTable({ ...data, tasks: { chat: 'claude-imaginary-1' } }, 'routing.json');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details.source).toBe('routing.json');
    expect((error as ValidationError).details.issues).toEqual([
      'tasks.chat: unknown model "claude-imaginary-1"',
    ]);
    expect(() => parseRoutingTable({ tasks: {} }, 'routing.json')).toThrow(/default/);
    expect(() => parseRoutingTable({ ...data, environments: { qa: {} } }, 'routing.json')).toThrow(
      ValidationError,
    );
  });
});
