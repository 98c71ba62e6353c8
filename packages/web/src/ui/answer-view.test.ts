import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '@keel/protocol';
import {
  applyChatEvent,
  startAnswer,
  turnsFromStored,
  type AssistantTurn,
  type UserTurn,
} from '../chat/chat-turn.ts';
import { AnswerView, UserView } from './answer-view.tsx';

const render = (turn: AssistantTurn) => renderToStaticMarkup(createElement(AnswerView, { turn }));

const answered = (done: Extract<ChatEvent, { type: 'done' }>): AssistantTurn =>
  [{ type: 'text-delta', text: 'Once upon a' } as ChatEvent, done].reduce(
    applyChatEvent,
    startAnswer('a1'),
  );

// The words come from the server (packages/server/src/chat/turn-outcome.ts); these stand in.
const notices = {
  truncated: { title: 'Answer cut off', body: 'Ask the assistant to continue.' },
  max_iterations: { title: 'Stopped after 6 tool steps', body: 'Ask it to continue.' },
  max_cost: { title: 'Stopped at the cost limit', body: 'Narrow the question.' },
  refused: { title: 'Request declined', body: 'Rephrase it.' },
  context_exceeded: { title: 'Conversation too long', body: 'Start a new conversation.' },
} as const;

describe('AnswerView outcome notices', () => {
  for (const [outcome, notice] of Object.entries(notices)) {
    it(`labels a ${outcome} answer in words, as a status a screen reader announces`, () => {
      const html = render(
        answered({
          type: 'done',
          outcome: outcome as keyof typeof notices,
          stopped: false,
          notice,
        }),
      );
      expect(html).toContain(`data-outcome="${outcome}"`);
      expect(html).toMatch(
        new RegExp(
          `<div class="notice notice-outcome notice-outcome-${outcome}" role="status" data-testid="outcome-notice" data-outcome="${outcome}"><strong class="notice-title">${notice.title}</strong><span class="notice-body">${notice.body}</span></div>`,
        ),
      );
      // The answer text stays, above the notice.
      expect(html.indexOf('Once upon a')).toBeLessThan(html.indexOf(notice.title));
    });
  }

  it('shows no notice on an answer that finished', () => {
    const html = render(answered({ type: 'done', outcome: 'completed', stopped: false }));
    expect(html).not.toContain('outcome-notice');
    expect(html).not.toContain('incomplete');
  });

  it('shows the stop notice instead of the generic incomplete line when the server gave one', () => {
    const stopped = render(
      answered({
        type: 'done',
        outcome: 'stopped',
        stopped: true,
        notice: { title: 'Answer stopped', body: 'Send a message to go on.' },
      }),
    );
    expect(stopped).toContain('Answer stopped');
    expect(stopped).not.toContain('data-testid="incomplete"');
    const bare = render(answered({ type: 'done', outcome: 'stopped', stopped: true }));
    expect(bare).toContain('Answer incomplete: it was stopped before the end.');
  });

  it('escapes the notice text like any other text', () => {
    const html = render(
      answered({
        type: 'done',
        outcome: 'refused',
        stopped: false,
        notice: { title: '<img src=x onerror=alert(1)>', body: 'Rephrase it.' },
      }),
    );
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('a stored turn the model service refused', () => {
  it('shows the reason as a failure notice and marks the question as left out', () => {
    const [question, answer] = turnsFromStored([
      {
        seq: 0,
        role: 'user',
        status: 'failed',
        createdAtMs: 0,
        content: [{ type: 'text', text: 'Look at this' }],
      },
      {
        seq: 1,
        role: 'assistant',
        status: 'failed',
        createdAtMs: 0,
        content: [{ type: 'text', text: 'The image could not be read. Attach it again.' }],
      },
    ]);
    const answerHtml = render(answer as AssistantTurn);
    expect(answerHtml).toContain('data-status="failed"');
    expect(answerHtml).toContain('role="alert"');
    expect(answerHtml).toContain('Not answered');
    expect(answerHtml).toContain('The image could not be read. Attach it again.');
    // The reason is not rendered as the assistant's answer text.
    expect(answerHtml).not.toContain('class="markdown"');
    const questionHtml = renderToStaticMarkup(
      createElement(UserView, { turn: question as UserTurn }),
    );
    expect(questionHtml).toContain(
      'Not answered: this message is left out of the rest of the conversation.',
    );
  });
});
