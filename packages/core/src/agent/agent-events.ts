import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { ToolCallStatus } from '../tools/execute-tool-call.ts';
import type { AgentResult } from './agent-result.ts';

/** What a streaming run reports, in order, for a UI. */
export type AgentEvent =
  /** A model call begins. */
  | { type: 'step-start'; iteration: number }
  /** Answer text as it arrives. */
  | { type: 'text-delta'; text: string }
  /** The model started thinking (show a "thinking…" state). */
  | { type: 'thinking-start' }
  /** Thinking text as it arrives (empty when the display is omitted). */
  | { type: 'thinking-delta'; thinking: string }
  /** The model finished a thinking block. */
  | { type: 'thinking-end' }
  /** The model started writing a tool call. */
  | { type: 'tool-input-start'; toolUseId: string; name: string }
  /** A tool starts running, with the model's input. */
  | { type: 'tool-call-start'; toolUseId: string; name: string; input: unknown }
  /** A tool finished (or was refused); `isError` results go back to the model as errors. */
  | {
      type: 'tool-call-end';
      toolUseId: string;
      name: string;
      status: ToolCallStatus;
      isError: boolean;
    }
  /** A model call finished. */
  | { type: 'step-finish'; iteration: number; message: Message }
  /** The run ended. */
  | { type: 'finish'; result: AgentResult };
