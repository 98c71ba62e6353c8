import type { ContentBlockParam, MessageParam } from '../call/conversation-shape.ts';

/** A tiny seeded generator so property tests are reproducible. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const words = [
  'order',
  'refund',
  'shipping',
  'warranty',
  'delivery',
  'invoice',
  'account',
  'package',
  'return',
  'policy',
  'status',
  'tracking',
];

/**
 * A random, well-formed conversation: user turns, assistant replies with optional thinking,
 * tool loops with parallel tool calls and their results, ending with a user message. Test
 * support for property tests of every trimming strategy.
 */
export function randomConversation(
  seed: number,
  options: {
    turns?: number;
    thinking?: boolean;
    /** Genuine thinking blocks (with valid signatures) to use instead of made-up ones. */
    thinkingPool?: ReadonlyArray<{ thinking: string; signature: string }>;
  } = {},
): MessageParam[] {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const sentence = (length: number) => Array.from({ length }, () => pick(words)).join(' ');
  const turns = options.turns ?? 1 + Math.floor(random() * 12);
  const messages: MessageParam[] = [];
  let toolCounter = 0;
  for (let turn = 0; turn < turns; turn++) {
    messages.push({
      role: 'user',
      content:
        random() < 0.5
          ? sentence(5 + Math.floor(random() * 40))
          : [{ type: 'text', text: sentence(8) }],
    });
    const steps = random() < 0.5 ? 0 : 1 + Math.floor(random() * 3);
    for (let step = 0; step <= steps; step++) {
      const blocks: ContentBlockParam[] = [];
      if (options.thinking) {
        const genuine = options.thinkingPool?.length ? pick(options.thinkingPool) : undefined;
        blocks.push(
          genuine
            ? { type: 'thinking', thinking: genuine.thinking, signature: genuine.signature }
            : { type: 'thinking', thinking: sentence(6), signature: `sig-${seed}-${turn}-${step}` },
        );
      }
      blocks.push({ type: 'text', text: sentence(3 + Math.floor(random() * 30)) });
      if (step < steps) {
        const parallel = 1 + Math.floor(random() * 3);
        const ids: string[] = [];
        for (let i = 0; i < parallel; i++) {
          const id = `toolu_${seed}_${toolCounter++}`;
          ids.push(id);
          blocks.push({
            type: 'tool_use',
            id,
            name: pick(['get_order_status', 'search_policies']),
            input: { query: sentence(2) },
          });
        }
        messages.push({ role: 'assistant', content: blocks });
        messages.push({
          role: 'user',
          content: ids.map((id) => ({
            type: 'tool_result' as const,
            tool_use_id: id,
            content: sentence(5 + Math.floor(random() * 200)),
            ...(random() < 0.1 ? { is_error: true } : {}),
          })),
        });
      } else {
        messages.push({ role: 'assistant', content: blocks });
      }
    }
  }
  messages.push({ role: 'user', content: sentence(10) });
  return messages;
}
