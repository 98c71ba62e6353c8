import { isTruncationStop } from '../client/truncation-stop.ts';
import type { MessagesCallOptions, MessagesCaller } from '../call/messages-caller.ts';
import type { PromptTemplate } from '../prompts/prompt-template.ts';
import type { ToolLogger } from '../tools/tool-context.ts';

/** Options of {@link summarizeTrimmed}. */
export interface SummarizeTrimmedOptions {
  caller: MessagesCaller;
  model: string;
  /** The summary prompt (prompts/context-summary.md). */
  prompt: PromptTemplate;
  /** The summary so far; null before the first. */
  summary: string | null;
  /** The newly trimmed turns, one `role: text` line each. */
  transcript: string;
  /** The user and session that pay for the call; the feature is always `context-summary`. */
  tags?: MessagesCallOptions['tags'];
  logger: ToolLogger;
}

/**
 * Folds newly trimmed turns into the running summary with the cheap model. An answer that is
 * empty or cut off keeps the previous summary (a cut-off summary would lose what it did not
 * reach) and is logged. A failed call throws: a budget refusal must stop the turn.
 */
export async function summarizeTrimmed(options: SummarizeTrimmedOptions): Promise<string | null> {
  const prompt = options.prompt.render({
    transcript: options.transcript,
    ...(options.summary ? { current_summary: options.summary } : {}),
  });
  const response = await options.caller.create(
    {
      model: options.model,
      max_tokens: prompt.maxTokens,
      system: prompt.system,
      messages: prompt.messages,
    },
    { tags: { ...options.tags, ...prompt.tags, feature: 'context-summary' } },
  );
  const text = response.content
    .flatMap((block) => (block.type === 'text' ? [block.text] : []))
    .join('')
    .trim();
  if (text && !isTruncationStop(response.stop_reason)) return text;
  options.logger.warn(
    { event: 'context_summary_kept', stopReason: response.stop_reason, model: response.model },
    text
      ? 'the new summary was cut off; the previous summary is kept'
      : 'the summary call answered no text; the previous summary is kept',
  );
  return options.summary;
}
