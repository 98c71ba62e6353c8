import { createHash } from 'node:crypto';
import type { ModelInfo } from '@keel/models';
import { invalidRequest } from '../http/api-error.ts';
import type { CountTokensRequest } from './request-schema.ts';
import { boundPrefixOf } from './thinking-signature.ts';

/**
 * Preserved thinking's prefix check: on the models that run it, a thinking block is tied to what
 * came before it, the top-level `system`, `tools` and every earlier message and block; if any of
 * it changed after the block was produced, the request is a 400
 * (https://platform.claude.com/docs/en/build-with-claude/preserved-thinking,
 * https://platform.claude.com/docs/zh-CN/build-with-claude/preserved-thinking/fix-bound-to-a-different-conversation
 * for the error text and the models: Fable 5.2/5.1, Mythos 5.2/5.1, Opus 5.5, Sonnet 5.5, Haiku 5.5).
 *
 * The emulator binds a block by carrying the digest of its prefix in the signature. The digest
 * reads what the model reads and ignores what a client may re-serialize: cache markers,
 * citations, the `caller` of a tool call, a string content versus a one-text-block list.
 * `role: "system"` messages are left out (they are turn-scoped and may be cleared with
 * `clear_at`; how they count in the real check is not documented).
 */

/** One block reduced to what the model reads. */
function canonicalBlock(block: unknown): unknown {
  if (typeof block !== 'object' || block === null) return block;
  const record = block as Record<string, unknown>;
  switch (record.type) {
    case 'text':
      return ['text', record.text];
    case 'thinking':
      return ['thinking', record.signature];
    case 'redacted_thinking':
      return ['redacted_thinking', record.data];
    case 'tool_use':
      return ['tool_use', record.id, record.name, record.input];
    case 'tool_result':
      return [
        'tool_result',
        record.tool_use_id,
        record.is_error ?? false,
        canonicalContent(record.content ?? []),
      ];
    default: {
      const { cache_control: _marker, citations: _citations, ...rest } = record;
      return rest;
    }
  }
}

function canonicalContent(content: unknown): unknown[] {
  if (typeof content === 'string') return [['text', content]];
  return Array.isArray(content) ? content.map(canonicalBlock) : [];
}

/**
 * A running digest of a conversation: system and tools, then each message's blocks in order.
 * `current()` is the digest of everything added so far: the prefix of the next block.
 */
export class PrefixChain {
  private digest: Buffer;

  constructor(request: Pick<CountTokensRequest, 'system' | 'tools'>) {
    const system = request.system === undefined ? [] : canonicalContent(request.system);
    const tools = (request.tools ?? []).map((tool) => [
      tool.name,
      tool.description ?? null,
      tool.input_schema,
    ]);
    this.digest = createHash('sha256')
      .update(JSON.stringify([system, tools]))
      .digest();
  }

  private extend(value: unknown): void {
    this.digest = createHash('sha256')
      .update(this.digest)
      .update(JSON.stringify(value) ?? 'null')
      .digest();
  }

  /** Opens a message (its role is part of the prefix). */
  startMessage(role: string): void {
    this.extend(['message', role]);
  }

  add(block: unknown): void {
    this.extend(canonicalBlock(block));
  }

  current(): Buffer {
    return this.digest;
  }
}

/**
 * Walks a request's messages into a chain (system-role messages left out), calling `visit` with
 * each block's path and the prefix before it; the chain after the last message is returned.
 */
function walk(
  request: CountTokensRequest,
  visit?: (block: unknown, path: string, prefix: Buffer) => void,
): PrefixChain {
  const chain = new PrefixChain(request);
  request.messages.forEach((message, index) => {
    if (message.role === 'system') return;
    chain.startMessage(message.role);
    const blocks =
      typeof message.content === 'string'
        ? [{ type: 'text', text: message.content }]
        : message.content;
    blocks.forEach((block, blockIndex) => {
      visit?.(block, `messages.${index}.content.${blockIndex}`, chain.current());
      chain.add(block);
    });
  });
  return chain;
}

/** The chain of a request as sent: the prefix of the reply's first block. */
export function requestChain(request: CountTokensRequest): PrefixChain {
  return walk(request);
}

/**
 * Rejects a thinking block passed back to a model with preserved thinking when what came before
 * it differs from what it was produced after. Blocks with an unbound signature (from models
 * without the check) are not judged. The documented default `prefix_mismatch_behavior` is
 * `"error"`; `"drop_block"` (beta `thinking-binding-controls-2026-08-01`) is not emulated.
 */
export function checkThinkingBinding(request: CountTokensRequest, model: ModelInfo): void {
  if (!model.capabilities.thinking.preservedThinking) return;
  const bound = request.messages.some(
    (message) =>
      message.role === 'assistant' &&
      typeof message.content !== 'string' &&
      message.content.some((block) => block.type === 'thinking' && boundPrefixOf(block.signature)),
  );
  if (!bound) return;
  walk(request, (block, path, before) => {
    const record = block as { type?: unknown; signature?: unknown };
    if (record.type !== 'thinking' || typeof record.signature !== 'string') return;
    const prefix = boundPrefixOf(record.signature);
    if (prefix && !prefix.equals(before)) {
      throw invalidRequest(
        `${path}: Invalid \`signature\` in \`thinking\` block. The block is bound to a different conversation. Remove the block, or set \`thinking.block_binding.prefix_mismatch_behavior\` to "drop_block".`,
      );
    }
  });
}
