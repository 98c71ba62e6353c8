import { invalidRequest } from '../http/api-error.ts';
import {
  contentBlockSchema,
  messageParamSchema,
  thinkingConfigSchema,
} from '../messages/request-schema.ts';
import { emulatorSurface, type SurfaceCategory } from './emulator-surface.ts';

/** Every sentence of the rejection says this, so clients and tests can tell it from a real 400. */
export const unsupportedPhrase = 'is not supported by the Keel emulator yet';

const seeReadme =
  'the Claude API accepts it; see the fidelity table in packages/emulator/README.md';

/** The `type` tags of a discriminated union schema. */
const tagsOf = (schema: { options: ReadonlyArray<{ shape: { type: { value: unknown } } }> }) =>
  new Set(schema.options.map((option) => String(option.shape.type.value)));

/**
 * What the request schema accepts wins over a stale `rejected` mark, so that a block, role or
 * thinking type another change teaches the schema is never refused here (the drift test then flags
 * the manifest as stale). Fields have no such escape: the schema keeps `container` only to accept
 * an explicit null.
 */
const schemaRoles = new Set(
  Object.keys(emulatorSurface.messageRoles).filter(
    (role) => messageParamSchema.safeParse({ role, content: 'x' }).success,
  ),
);

function rejectedNames(category: SurfaceCategory, accepted: ReadonlySet<string>): Set<string> {
  const entries: Record<string, { status: string }> = emulatorSurface[category];
  return new Set(
    Object.keys(entries).filter(
      (name) => entries[name]!.status === 'rejected' && !accepted.has(name),
    ),
  );
}

const rejectedFields = rejectedNames('requestFields', new Set());
const rejectedRoles = rejectedNames('messageRoles', schemaRoles);
const rejectedBlocks = rejectedNames('contentBlockParams', tagsOf(contentBlockSchema));
const rejectedTools = rejectedNames('toolTypes', new Set());
const rejectedToolResultContent = rejectedNames('toolResultContent', new Set());
const rejectedThinking = rejectedNames('thinkingTypes', tagsOf(thinkingConfigSchema));

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first use of a known-but-not-emulated feature in a raw request body, worded for a 400. */
function findUnsupported(body: Record<string, unknown>): string | undefined {
  for (const field of Object.keys(body)) {
    // An explicit null means "not set" for these optional fields, as it does on the real API.
    if (rejectedFields.has(field) && body[field] !== null && body[field] !== undefined)
      return `${field}: \`${field}\` ${unsupportedPhrase} (${seeReadme})`;
  }
  const thinking = body.thinking;
  if (
    isRecord(thinking) &&
    typeof thinking.type === 'string' &&
    rejectedThinking.has(thinking.type)
  )
    return `thinking.type: the thinking type "${thinking.type}" ${unsupportedPhrase} (${seeReadme})`;
  const tools = Array.isArray(body.tools) ? body.tools : [];
  for (const [index, tool] of tools.entries()) {
    if (isRecord(tool) && typeof tool.type === 'string' && rejectedTools.has(tool.type))
      return `tools.${index}.type: the tool type "${tool.type}" ${unsupportedPhrase} (${seeReadme})`;
  }
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (const [index, message] of messages.entries()) {
    if (!isRecord(message)) continue;
    if (typeof message.role === 'string' && rejectedRoles.has(message.role))
      return `messages.${index}.role: the message role "${message.role}" ${unsupportedPhrase} (${seeReadme})`;
    if (!Array.isArray(message.content)) continue;
    for (const [blockIndex, block] of message.content.entries()) {
      if (!isRecord(block) || typeof block.type !== 'string') continue;
      const path = `messages.${index}.content.${blockIndex}`;
      if (rejectedBlocks.has(block.type))
        return `${path}.type: the content block type "${block.type}" ${unsupportedPhrase} (${seeReadme})`;
      if (block.type !== 'tool_result' || !Array.isArray(block.content)) continue;
      for (const [innerIndex, inner] of block.content.entries()) {
        if (
          isRecord(inner) &&
          typeof inner.type === 'string' &&
          rejectedToolResultContent.has(inner.type)
        )
          return `${path}.content.${innerIndex}.type: the tool_result content block type "${inner.type}" ${unsupportedPhrase} (${seeReadme})`;
      }
    }
  }
  return undefined;
}

/**
 * Throws the emulator's 400 for a request that uses a feature the real API has and the emulator
 * does not emulate (server tools, MCP, beta fields...): a clear refusal beats a silent acceptance
 * or a misleading schema error such as `tools.0.input_schema: Field required`.
 */
export function rejectUnsupported(body: Record<string, unknown>): void {
  const problem = findUnsupported(body);
  if (problem) throw invalidRequest(problem);
}
