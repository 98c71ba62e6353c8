import type { ContentBlock, TextCitation } from '@anthropic-ai/sdk/resources/messages/messages';
import type { CallResult } from '../call/call-result.ts';

/** The stream has started on a model. */
export interface MessageStartEvent {
  type: 'message-start';
  /** The model serving the stream (after fallback). */
  model: string;
  /** The server's request id. */
  requestId: string | undefined;
}

/** A content block opened. For `tool_use` blocks this is where tool input starts. */
export interface ContentBlockStartEvent {
  type: 'content-block-start';
  /** Position of the block in the final message's content. */
  index: number;
  /** The block as it starts (empty text, empty tool input, ...). */
  block: ContentBlock;
}

/** A piece of answer text. */
export interface TextDeltaEvent {
  type: 'text-delta';
  index: number;
  /** The new text. */
  text: string;
}

/** A piece of (summarised) thinking. */
export interface ThinkingDeltaEvent {
  type: 'thinking-delta';
  index: number;
  /** The new thinking text. */
  thinking: string;
}

/** A piece of a tool call's input JSON (concatenate; parse at `content-block-stop`). */
export interface ToolInputDeltaEvent {
  type: 'tool-input-delta';
  index: number;
  /** The new JSON fragment. */
  partialJson: string;
}

/** A citation attached to the text block at `index` (document and search-result citations). */
interface CitationDeltaEvent {
  type: 'citation-delta';
  index: number;
  /** The cited span, as the API sent it. */
  citation: TextCitation;
}

/** A content block closed; `block` is complete (tool input parsed). */
export interface ContentBlockStopEvent {
  type: 'content-block-stop';
  index: number;
  /** The finished block. */
  block: ContentBlock;
}

/** The last event: the whole message with usage and cost. */
export interface FinishEvent {
  type: 'finish';
  /** The complete call result. */
  result: CallResult;
}

/** Events of `KeelClient.stream()`, in order. */
export type KeelStreamEvent =
  | MessageStartEvent
  | ContentBlockStartEvent
  | TextDeltaEvent
  | ThinkingDeltaEvent
  | ToolInputDeltaEvent
  | CitationDeltaEvent
  | ContentBlockStopEvent
  | FinishEvent;
