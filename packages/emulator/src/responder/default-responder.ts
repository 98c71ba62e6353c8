import type { MessageRequest } from '../messages/request-schema.ts';
import { contextSources, withoutInlineSources } from './context-sources.ts';
import {
  lastToolResults,
  lastUserBlocks,
  lastUserText,
  latestUserWords,
  prefillText,
  toolResultText,
  toolUsesById,
} from './conversation.ts';
import { describeImages, imagesOf } from './image-reply.ts';
import { isSchema, type JsonSchema } from './json-schema.ts';
import { proseReply } from './prose-reply.ts';
import type { Reply, ReplyBlock, Responder } from './reply.ts';
import { retrievalReply } from './retrieval-reply.ts';
import { generateSchemaValue } from './schema-values.ts';
import { thinkingTarget, thinkingText, type ReplyPlan } from './thinking-text.ts';
import { toolResultReply } from './tool-result-reply.ts';
import { toolUseReply } from './tool-use-reply.ts';

interface Planned {
  plan: ReplyPlan;
  blocks: ReplyBlock[];
}

function structuredOutput(schema: JsonSchema, text: string): Planned {
  const value = generateSchemaValue(schema, { text });
  const fields = isSchema(schema.properties) ? Object.keys(schema.properties) : [];
  return {
    plan: { kind: 'structured', fields },
    blocks: [{ type: 'text', text: JSON.stringify(value) }],
  };
}

function planReply(request: MessageRequest): Planned {
  const words = latestUserWords(request);
  const results = lastToolResults(request);
  const resultsText = results.map(toolResultText).join('\n');
  // Values for JSON and forced tools may come from the question, tool results or documents.
  const documentsText = contextSources(request)
    .map((source) => (source.kind === 'search_result' ? source.blocks.join('\n') : source.text))
    .join('\n');
  const valueText = [words, resultsText, documentsText].filter(Boolean).join('\n');
  const format = request.output_config?.format;
  const forcedTool = request.tool_choice?.type === 'any' || request.tool_choice?.type === 'tool';

  if (format && !forcedTool) return structuredOutput(format.schema, valueText);

  if (results.length > 0 && !forcedTool) {
    const toolNames = [
      ...new Set(results.map((r) => toolUsesById(request).get(r.tool_use_id)?.name ?? 'tool')),
    ];
    const searchResults = results.some(
      (r) => Array.isArray(r.content) && r.content.some((part) => part.type === 'search_result'),
    );
    if (searchResults) {
      const sources = contextSources(request).filter((source) => source.kind === 'search_result');
      return {
        plan: {
          kind: 'retrieval',
          sourceNames: sources.map((s) => (s.kind === 'search_result' ? s.title : '')),
        },
        blocks: retrievalReply({ sources, question: words }),
      };
    }
    return {
      plan: { kind: 'tool-results', toolNames, failed: results.some((r) => r.is_error === true) },
      blocks: toolResultReply(request),
    };
  }

  const calls = toolUseReply(request, forcedTool ? valueText : words);
  if (calls) {
    const toolNames = calls.flatMap((block) => (block.type === 'tool_use' ? [block.name] : []));
    return { plan: { kind: 'tools', toolNames }, blocks: calls };
  }

  const sources = contextSources(request);
  if (sources.length > 0) {
    const question = withoutInlineSources(lastUserText(request)) || words;
    const names = sources.map((s) =>
      s.kind === 'document'
        ? (s.title ?? `document ${s.index + 1}`)
        : s.kind === 'search_result'
          ? s.title
          : s.name,
    );
    return {
      plan: { kind: 'retrieval', sourceNames: names },
      blocks: retrievalReply({ sources, question }),
    };
  }

  const images = imagesOf(lastUserBlocks(request));
  if (images.length > 0) {
    const text = lastUserText(request);
    const note = text
      ? ' The emulator reads only the format, size and average colour of images, not what they show.'
      : '';
    return {
      plan: { kind: 'images', count: images.length },
      blocks: [{ type: 'text', text: `${describeImages(images)}${note}` }],
    };
  }

  const prose = proseReply(words);
  const prefill = prefillText(request);
  if (prefill !== undefined && /\{\s*$/.test(prefill)) {
    // The reply continues a prefilled "{": finish a JSON object rather than write prose.
    return {
      plan: { kind: 'prose', long: false },
      blocks: [{ type: 'text', text: JSON.stringify({ answer: prose }).slice(1) }],
    };
  }
  return {
    plan: { kind: 'prose', long: prose.includes('\n\n') },
    blocks: [{ type: 'text', text: prose }],
  };
}

/**
 * The deterministic responder: the same request always gets the same reply, with no randomness
 * and no clock. It calls the tools that fit the user's words (filling arguments from the
 * message), answers from tool results, writes JSON that satisfies `output_config.format`,
 * quotes and cites retrieved context, describes attached images, thinks first when thinking is
 * on, and otherwise writes plain prose derived from the request.
 */
export const defaultResponder: Responder = (request): Reply => {
  const { plan, blocks } = planReply(request);
  const afterToolResults = lastToolResults(request).length > 0;
  // Manual thinking happens once per assistant turn; adaptive thinking interleaves with tools.
  const thinks =
    request.thinking?.type === 'adaptive' ||
    (request.thinking?.type === 'enabled' && !afterToolResults);
  if (!thinks) return { blocks };
  // `display: "omitted"` is the pipeline's business: it bills the thinking and withholds it.
  const thinking = thinkingText({
    userText: latestUserWords(request),
    plan,
    targetTokens: thinkingTarget(request),
  });
  return { blocks: [{ type: 'thinking', thinking }, ...blocks] };
};
