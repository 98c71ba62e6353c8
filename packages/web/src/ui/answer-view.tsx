import { memo, useMemo } from 'react';
import type { AnswerPart, AssistantTurn, UserTurn } from '../chat/chat-turn.ts';
import { describeRetry } from '../chat/describe-error.ts';
import { renderMarkdown } from '../markdown/render-markdown.ts';
import { ErrorNotice } from './error-notice.tsx';
import { formatPercent, formatTokens, formatUsd } from './format.ts';
import { ImageIcon, ToolIcon } from './icons.tsx';
import { OutcomeNotice } from './outcome-notice.tsx';

/** Markdown from the model; `renderMarkdown` escapes HTML, so the result is safe to insert. */
const MarkdownText = memo(function MarkdownText({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
});

const toolLabels: Record<string, string> = {
  get_order_status: 'Looking up an order',
  list_customer_orders: 'Listing your orders',
  search_policies: 'Searching store policies',
};

function ToolActivity({ part }: { part: Extract<AnswerPart, { kind: 'tool' }> }) {
  const state = part.state === 'running' ? 'running' : part.state === 'error' ? 'failed' : 'done';
  return (
    <div
      className={`tool tool-${part.state}`}
      data-testid="tool-activity"
      data-tool={part.name}
      data-state={part.state}
    >
      <span className="tool-icon">
        <ToolIcon state={part.state} />
      </span>
      <span className="tool-label">
        {toolLabels[part.name] ?? 'Using a tool'} <code>{part.name}</code>
      </span>
      <span className="tool-state">{state}</span>
      {part.summary ? <span className="tool-summary">{part.summary}</span> : null}
    </div>
  );
}

function Citations({ turn }: { turn: AssistantTurn }) {
  if (turn.citations.length === 0) return null;
  return (
    <section className="citations" aria-label="Sources">
      <h3>Sources</h3>
      <ol>
        {turn.citations.map((citation, index) => (
          <li key={`${citation.source}-${index}`}>
            <details data-testid="citation">
              <summary>
                <span className="citation-title">{citation.title}</span>{' '}
                <span className="citation-source">{citation.source}</span>
              </summary>
              {citation.quote ? <blockquote>{citation.quote}</blockquote> : null}
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}

function UsageLine({ turn }: { turn: AssistantTurn }) {
  const usage = turn.usage;
  if (!usage) return null;
  return (
    <p className="usage-line" data-testid="turn-usage">
      {formatTokens(usage.input + usage.cacheRead + usage.cacheWrite)} tokens in ·{' '}
      {formatTokens(usage.output)} out · cache hit {formatPercent(usage.cacheHitRatio)} ·{' '}
      <span data-testid="turn-cost">{formatUsd(usage.costUsd)}</span>
      {usage.partial ? ' (partial)' : ''}
    </p>
  );
}

/** One answer: thinking, text and tool activity in order, sources, retries, errors, usage. */
export function AnswerView({ turn }: { turn: AssistantTurn }) {
  const waiting = turn.status === 'streaming' && turn.parts.length === 0;
  const thinking = turn.thinking.state === 'active' || waiting;
  return (
    <article
      className={`turn turn-assistant turn-${turn.status}`}
      aria-label="Assistant"
      aria-busy={turn.status === 'streaming'}
      data-testid="assistant-turn"
      data-status={turn.status}
      data-outcome={turn.outcome}
    >
      {thinking ? (
        <p className="thinking" role="status" data-testid="thinking">
          <span className="dots" aria-hidden="true" /> Thinking…
        </p>
      ) : null}
      {turn.thinking.text ? (
        <details className="thinking-text">
          <summary>How the assistant reasoned</summary>
          <p>{turn.thinking.text}</p>
        </details>
      ) : null}
      {turn.retries.map((retry) => (
        <p key={retry.attempt} className="retry" role="status" data-testid="retry">
          {describeRetry(retry)}
        </p>
      ))}
      {turn.parts.map((part, index) =>
        part.kind === 'text' ? (
          <MarkdownText key={index} text={part.text} />
        ) : (
          <ToolActivity key={index} part={part} />
        ),
      )}
      <Citations turn={turn} />
      {turn.outcome && turn.notice ? (
        <OutcomeNotice outcome={turn.outcome} notice={turn.notice} />
      ) : null}
      {turn.status === 'incomplete' && !turn.notice ? (
        <p className="incomplete" data-testid="incomplete">
          Answer incomplete: it was stopped before the end.
        </p>
      ) : null}
      {turn.error && turn.error.code !== 'stream_ended' ? <ErrorNotice error={turn.error} /> : null}
      {turn.error?.code === 'stream_ended' ? (
        <p className="incomplete">{turn.error.message}</p>
      ) : null}
      <UsageLine turn={turn} />
    </article>
  );
}

/** What the person sent. */
export function UserView({ turn }: { turn: UserTurn }) {
  return (
    <article className="turn turn-user" aria-label="You" data-testid="user-turn">
      {turn.images.length > 0 ? (
        <div className="turn-images">
          {turn.images.map((image, index) =>
            image.url ? (
              <img key={index} src={image.url} alt={`Attached image ${index + 1}`} />
            ) : (
              <span key={index} className="image-placeholder">
                <ImageIcon /> {image.mediaType.replace('image/', '').toUpperCase()} image
              </span>
            ),
          )}
        </div>
      ) : null}
      <p className="user-text">{turn.text}</p>
      {turn.failed ? (
        <p className="user-failed" data-testid="user-failed">
          Not answered: this message is left out of the rest of the conversation.
        </p>
      ) : null}
    </article>
  );
}
