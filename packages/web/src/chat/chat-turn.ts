import type { StoredMessage } from '../api/api-types.ts';
import type {
  ChatEvent,
  Citation,
  OutcomeNotice,
  TurnOutcome,
  TurnUsage,
} from '@keel/protocol';

/** A piece of an answer, in the order it happened: text, or a tool the assistant used. */
export type AnswerPart =
  | { kind: 'text'; text: string }
  | {
      kind: 'tool';
      /** The tool's name, e.g. `get_order_status`. */
      name: string;
      /** The input the model gave it. */
      input: unknown;
      /** Running until its `tool-end`; `error` when the tool refused or failed. */
      state: 'running' | 'done' | 'error';
      /** What the tool found, in a line. */
      summary: string | undefined;
    };

/** A failure the answer ended with. */
export interface TurnError {
  code: string;
  message: string;
  /** When to try again, for rate limits. */
  retryAfterSeconds?: number;
  /** Structured facts (budget scope and limit), when the server sent them. */
  details?: Record<string, unknown>;
}

/** What the person sent. */
export interface UserTurn {
  role: 'user';
  key: string;
  text: string;
  /** Attached images; `url` is a local preview when this page sent them. */
  images: Array<{ mediaType: string; url: string | undefined }>;
  /** The request was refused upstream; the message is kept out of the rest of the conversation. */
  failed?: boolean;
}

/** The assistant's answer, as it streams and after. */
export interface AssistantTurn {
  role: 'assistant';
  key: string;
  parts: AnswerPart[];
  /** Extended thinking: `active` while the model thinks. */
  thinking: { state: 'none' | 'active' | 'done'; text: string };
  citations: Citation[];
  /** Upstream retries seen while answering (e.g. Claude overloaded). */
  retries: Array<{ attempt: number; delayMs: number; reason: string }>;
  usage: TurnUsage | undefined;
  /** `incomplete`: stopped or cut before the end; `failed`: ended with an error. */
  status: 'streaming' | 'complete' | 'incomplete' | 'failed';
  error: TurnError | undefined;
  /** How it ended, once `done` (or the stored history) said; undefined while streaming. */
  outcome: TurnOutcome | undefined;
  /** What to tell the person when it did not simply finish: shown on the answer. */
  notice: OutcomeNotice | undefined;
}

/** One entry of a conversation. */
export type ChatTurn = UserTurn | AssistantTurn;

/** An empty answer about to stream. */
export function startAnswer(key: string): AssistantTurn {
  return {
    role: 'assistant',
    key,
    parts: [],
    thinking: { state: 'none', text: '' },
    citations: [],
    retries: [],
    usage: undefined,
    status: 'streaming',
    error: undefined,
    outcome: undefined,
    notice: undefined,
  };
}

/** The answer after one more streamed event (a new object; the old one is untouched). */
export function applyChatEvent(turn: AssistantTurn, event: ChatEvent): AssistantTurn {
  switch (event.type) {
    case 'text-delta': {
      const last = turn.parts.at(-1);
      const parts =
        last?.kind === 'text'
          ? [...turn.parts.slice(0, -1), { kind: 'text' as const, text: last.text + event.text }]
          : [...turn.parts, { kind: 'text' as const, text: event.text }];
      return { ...turn, parts };
    }
    case 'thinking-start':
      return { ...turn, thinking: { state: 'active', text: turn.thinking.text } };
    case 'thinking-delta':
      return {
        ...turn,
        thinking: { state: 'active', text: turn.thinking.text + event.thinking },
      };
    case 'thinking-end':
      return { ...turn, thinking: { state: 'done', text: turn.thinking.text } };
    case 'tool-start':
      return {
        ...turn,
        parts: [
          ...turn.parts,
          {
            kind: 'tool',
            name: event.name,
            input: event.input,
            state: 'running',
            summary: undefined,
          },
        ],
      };
    case 'tool-end': {
      const index = turn.parts.findLastIndex(
        (part) => part.kind === 'tool' && part.name === event.name && part.state === 'running',
      );
      const ended = {
        kind: 'tool' as const,
        name: event.name,
        input: index >= 0 ? (turn.parts[index] as { input: unknown }).input : undefined,
        state: event.isError ? ('error' as const) : ('done' as const),
        summary: event.summary,
      };
      const parts =
        index >= 0
          ? turn.parts.map((part, at) => (at === index ? ended : part))
          : [...turn.parts, ended];
      return { ...turn, parts };
    }
    case 'citation': {
      const known = turn.citations.some(
        (citation) => citation.source === event.source && citation.quote === event.quote,
      );
      if (known) return turn;
      const { source, title, quote } = event;
      return { ...turn, citations: [...turn.citations, { source, title, quote }] };
    }
    case 'retry': {
      const { attempt, delayMs, reason } = event;
      return { ...turn, retries: [...turn.retries, { attempt, delayMs, reason }] };
    }
    case 'usage': {
      const { type: _type, ...usage } = event;
      return { ...turn, usage };
    }
    case 'done':
      return settle({
        ...turn,
        status: event.stopped ? 'incomplete' : 'complete',
        outcome: event.outcome,
        notice: readNotice(event.notice),
      });
    case 'error': {
      const { type: _type, ...error } = event;
      return settle({ ...turn, status: 'failed', error });
    }
    default:
      return turn;
  }
}

/** The answer when its stream ended without `done` or `error` (the connection dropped). */
export function endAnswer(turn: AssistantTurn, error?: TurnError): AssistantTurn {
  if (turn.status !== 'streaming') return turn;
  return settle({
    ...turn,
    status: error ? 'failed' : 'incomplete',
    error: error ?? {
      code: 'stream_ended',
      message: 'The connection closed before the answer was finished.',
    },
  });
}

/** An ended answer has no tool still running and no thinking in progress. */
function settle(turn: AssistantTurn): AssistantTurn {
  return {
    ...turn,
    thinking:
      turn.thinking.state === 'active' ? { ...turn.thinking, state: 'done' } : turn.thinking,
    parts: turn.parts.map((part) =>
      part.kind === 'tool' && part.state === 'running' ? { ...part, state: 'error' } : part,
    ),
  };
}

/**
 * A stored conversation as turns: a tool loop is stored as assistant (tool_use), user
 * (tool_result), assistant (text); the UI shows it as one answer with its tool activity.
 */
export function turnsFromStored(messages: StoredMessage[]): ChatTurn[] {
  const turns: ChatTurn[] = [];
  let answer: AssistantTurn | undefined;
  const openAnswer = (message: StoredMessage): AssistantTurn => {
    if (!answer) {
      answer = { ...startAnswer(`stored-${message.seq}`), status: 'complete' };
      turns.push(answer);
    }
    return answer;
  };
  for (const message of messages) {
    if (message.role === 'user') {
      const results = message.content.filter((block) => block.type === 'tool_result');
      if (answer && results.length > 0 && results.length === message.content.length) {
        for (const block of results) {
          const result = block as { tool_use_id: string; is_error?: boolean; content?: unknown };
          const index = answer.parts.findIndex(
            (part) => part.kind === 'tool' && toolUseIds.get(part) === result.tool_use_id,
          );
          const part = answer.parts[index];
          if (part?.kind === 'tool') {
            answer.parts[index] = { ...part, state: result.is_error ? 'error' : 'done' };
          }
        }
        continue;
      }
      answer = undefined;
      turns.push({
        role: 'user',
        key: `stored-${message.seq}`,
        text: textOf(message),
        images: message.content
          .filter((block) => block.type === 'image')
          .map((block) => ({
            mediaType: String((block as { mediaType?: unknown }).mediaType),
            url: undefined,
          })),
        ...(message.status === 'failed' ? { failed: true } : {}),
      });
      continue;
    }
    if (message.status === 'failed' && !message.outcome) {
      // A turn the service refused (a 4xx): its answer row holds the reason, not an answer.
      answer = undefined;
      turns.push({
        ...startAnswer(`stored-${message.seq}`),
        status: 'failed',
        error: { code: 'turn_failed', message: textOf(message) },
      });
      continue;
    }
    const turn = openAnswer(message);
    for (const block of message.content) {
      if (block.type === 'text') {
        const text = String(block.text);
        const last = turn.parts.at(-1);
        if (last?.kind === 'text') last.text += `\n\n${text}`;
        else turn.parts.push({ kind: 'text', text });
        for (const citation of Array.isArray(block.citations) ? block.citations : []) {
          const value = storedCitation(citation);
          if (
            value &&
            !turn.citations.some(
              (known) => known.quote === value.quote && known.source === value.source,
            )
          ) {
            turn.citations.push(value);
          }
        }
      } else if (block.type === 'tool_use') {
        const part: AnswerPart = {
          kind: 'tool',
          name: String(block.name),
          input: block.input,
          state: 'done',
          summary: undefined,
        };
        toolUseIds.set(part, String(block.id));
        turn.parts.push(part);
      } else if (block.type === 'thinking') {
        turn.thinking = { state: 'done', text: turn.thinking.text + String(block.thinking) };
      }
    }
    // `failed` with an outcome is a declined answer: shown with its notice, not as cut short.
    if (message.status !== 'complete' && message.status !== 'failed') turn.status = 'incomplete';
    const notice = readNotice(message.notice);
    if (message.outcome && notice) {
      turn.outcome = message.outcome;
      turn.notice = notice;
    }
  }
  return turns;
}

function textOf(message: StoredMessage): string {
  return message.content
    .filter((block): block is { type: 'text'; text: string } => block.type === 'text')
    .map((block) => block.text)
    .join('\n');
}

/** The notice from the wire, or undefined unless it has a title and a body to show. */
function readNotice(value: unknown): OutcomeNotice | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { title, body } = value as Record<string, unknown>;
  return typeof title === 'string' && title && typeof body === 'string'
    ? { title, body }
    : undefined;
}

const toolUseIds = new WeakMap<AnswerPart, string>();

function storedCitation(value: unknown): Citation | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const citation = value as Record<string, unknown>;
  const title =
    (typeof citation.title === 'string' && citation.title) ||
    (typeof citation.document_title === 'string' && citation.document_title) ||
    'source';
  const source = typeof citation.source === 'string' && citation.source ? citation.source : title;
  const quote = typeof citation.cited_text === 'string' ? citation.cited_text : '';
  return { source, title, quote };
}
