import type { MessageRequest } from '../messages/request-schema.ts';
import { countTextTokens } from '../messages/tokenizer.ts';
import { subjectOf } from './prose-reply.ts';

/** What the reply is going to do, so the reasoning can talk about it. */
export type ReplyPlan =
  | { kind: 'tools'; toolNames: string[] }
  | { kind: 'tool-results'; toolNames: string[]; failed: boolean }
  | { kind: 'structured'; fields: string[] }
  | { kind: 'retrieval'; sourceNames: string[] }
  | { kind: 'images'; count: number }
  | { kind: 'prose'; long: boolean };

const effortTokens: Record<string, number> = {
  low: 40,
  medium: 90,
  high: 160,
  xhigh: 260,
  max: 400,
};

/** How many thinking tokens to aim for: a tenth of the budget, bounded; effort for adaptive. */
export function thinkingTarget(
  request: Pick<MessageRequest, 'thinking' | 'output_config' | 'max_tokens'>,
): number {
  const thinking = request.thinking;
  if (!thinking || thinking.type === 'disabled') return 0;
  const target =
    thinking.type === 'enabled'
      ? Math.min(1200, Math.max(40, Math.round(thinking.budget_tokens / 10)))
      : (effortTokens[request.output_config?.effort ?? 'high'] ?? 160);
  return Math.max(20, Math.min(target, Math.floor(request.max_tokens / 2)));
}

function planSentence(plan: ReplyPlan): string {
  switch (plan.kind) {
    case 'tools':
      return `The tools ${plan.toolNames.join(' and ')} fit this, so I should call ${plan.toolNames.length > 1 ? 'them in parallel' : 'it'} with arguments taken from the message.`;
    case 'tool-results':
      return plan.failed
        ? `The ${plan.toolNames.join(' and ')} call reported an error, so I should say what went wrong rather than guess.`
        : `The results from ${plan.toolNames.join(' and ')} are in; I should summarize them plainly.`;
    case 'structured':
      return `The answer has to be JSON matching the schema${plan.fields.length > 0 ? `, with the fields ${plan.fields.join(', ')}` : ''}.`;
    case 'retrieval':
      return `The provided context (${plan.sourceNames.slice(0, 3).join(', ')}) should contain the answer; I'll quote the most relevant sentences and name where they come from.`;
    case 'images':
      return `There ${plan.count === 1 ? 'is one image' : `are ${plan.count} images`} attached, so I should describe what I can tell about ${plan.count === 1 ? 'it' : 'them'}.`;
    case 'prose':
      return plan.long
        ? 'They want something long, so I should write several well-organized paragraphs.'
        : 'A short, direct answer should do.';
  }
}

const elaborations = [
  'Let me consider what matters most to them here.',
  'I should make sure I understand the request before answering.',
  'It helps to separate what is stated from what is only implied.',
  'There may be more than one reasonable reading; I will go with the most likely one.',
  'I want the answer to be accurate first and concise second.',
  'Any assumptions I make should be stated rather than hidden.',
  'Checking the details once more before I commit to an answer.',
  'If something is missing, it is better to say so than to invent it.',
  'The structure of the answer should follow the structure of the question.',
  'A concrete example would make the answer easier to use.',
];

/** A short, plausible chain of reasoning about the request, sized to the thinking budget. */
export function thinkingText(options: {
  userText: string;
  plan: ReplyPlan;
  targetTokens: number;
}): string {
  const topic = options.userText.trim() ? subjectOf(options.userText) : '';
  const parts = [
    topic
      ? `The user is asking about ${topic}.`
      : 'The user has sent a message without much detail.',
    planSentence(options.plan),
  ];
  let i = 0;
  while (countTextTokens(parts.join(' ')) < options.targetTokens && i < 200) {
    parts.push(elaborations[i % elaborations.length]!);
    if (i % elaborations.length === elaborations.length - 1 && topic)
      parts.push(`Returning to ${topic}: the main point still holds.`);
    i++;
  }
  return parts.join(' ');
}
