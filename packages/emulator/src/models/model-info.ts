import type { ModelInfo as CatalogModel } from '@keel/models';

/** `{ supported }`, the API's capability flag. */
interface CapabilitySupport {
  /** Whether the model supports the capability. */
  supported: boolean;
}

/** A model as `GET /v1/models` describes it (the SDK's `ModelInfo`). */
export interface ApiModelInfo {
  /** Always `model`. */
  type: 'model';
  /** The model id (never an alias). */
  id: string;
  /** Human-readable name, e.g. `Claude Sonnet 4.6`. */
  display_name: string;
  /** Release date as an RFC 3339 timestamp. */
  created_at: string;
  /** The API's stage: the catalog's `active` and `legacy` are both `active` here. */
  lifecycle: 'active' | 'deprecated' | 'retired';
  /** When the model was deprecated; null while it is active. */
  deprecated_at: string | null;
  /** The scheduled retirement date as RFC 3339; null while the model is active. */
  retires_at: string | null;
  /** The model line (`fable`, `mythos`, `opus`, `sonnet`, `haiku`). */
  line: 'fable' | 'mythos' | 'opus' | 'sonnet' | 'haiku' | null;
  /** The context window in tokens. */
  max_input_tokens: number | null;
  /** The largest `max_tokens` the model accepts. */
  max_tokens: number | null;
  /** Capability flags, derived from the catalog; tools the emulator does not run are unsupported. */
  capabilities: {
    batch: CapabilitySupport;
    citations: CapabilitySupport;
    code_execution: CapabilitySupport;
    context_management: CapabilitySupport & {
      clear_thinking_20251015: CapabilitySupport | null;
      clear_tool_uses_20250919: CapabilitySupport | null;
      compact_20260112: CapabilitySupport | null;
    };
    effort: CapabilitySupport & {
      low: CapabilitySupport;
      medium: CapabilitySupport;
      high: CapabilitySupport;
      max: CapabilitySupport;
      xhigh: CapabilitySupport | null;
    };
    image_input: CapabilitySupport;
    pdf_input: CapabilitySupport;
    server_tools: CapabilitySupport & {
      code_execution: CapabilitySupport;
      web_search: CapabilitySupport;
    };
    structured_outputs: CapabilitySupport;
    thinking: CapabilitySupport & {
      types: {
        adaptive: CapabilitySupport;
        enabled: CapabilitySupport;
        disabled: CapabilitySupport;
        between_tools: CapabilitySupport;
      };
    };
  };
}

const flag = (supported: boolean): CapabilitySupport => ({ supported });
const timestamp = (date: string | null): string | null =>
  date === null ? null : `${date}T00:00:00Z`;

/**
 * The API's lifecycle stage of a catalog model on `today` (YYYY-MM-DD), by the emulator's clock:
 * retired from its retirement date on, deprecated while a retirement is announced, else active
 * (the SDK's `ModelInfo.lifecycle`: a legacy model not scheduled for retirement is active). A
 * model the catalog calls retired or deprecated without a date keeps that stage.
 */
function lifecycleOn(model: CatalogModel, today: string): ApiModelInfo['lifecycle'] {
  const { status, retiresAt } = model.lifecycle;
  if (retiresAt !== null) return retiresAt <= today ? 'retired' : 'deprecated';
  if (status === 'retired' || status === 'deprecated') return status;
  return 'active';
}

/**
 * Describes a catalog model in the API's `ModelInfo` shape. `today` (YYYY-MM-DD, by the
 * emulator's clock) decides whether a model with a retirement date is still deprecated or retired.
 */
export function toApiModelInfo(model: CatalogModel, today: string): ApiModelInfo {
  const { capabilities } = model;
  const lifecycle = lifecycleOn(model, today);
  const effort = new Set<string>(capabilities.effort);
  return {
    type: 'model',
    id: model.id,
    display_name: model.displayName,
    created_at: `${model.releasedAt}T00:00:00Z`,
    lifecycle,
    // The SDK documents both as null while the model is active.
    deprecated_at: lifecycle === 'active' ? null : timestamp(model.lifecycle.deprecatedAt),
    retires_at: lifecycle === 'active' ? null : timestamp(model.lifecycle.retiresAt),
    line: model.family,
    max_input_tokens: model.contextWindow,
    max_tokens: model.maxOutputTokens,
    capabilities: {
      batch: flag(capabilities.batch),
      citations: flag(capabilities.citations),
      code_execution: flag(false),
      context_management: {
        supported: false,
        clear_thinking_20251015: null,
        clear_tool_uses_20250919: null,
        compact_20260112: null,
      },
      effort: {
        supported: effort.size > 0,
        low: flag(effort.has('low')),
        medium: flag(effort.has('medium')),
        high: flag(effort.has('high')),
        max: flag(effort.has('max')),
        xhigh: effort.size > 0 ? flag(effort.has('xhigh')) : null,
      },
      image_input: flag(capabilities.vision),
      pdf_input: flag(capabilities.pdf),
      server_tools: { supported: false, code_execution: flag(false), web_search: flag(false) },
      structured_outputs: flag(capabilities.structuredOutputs),
      thinking: {
        supported: capabilities.thinking.enabled || capabilities.thinking.adaptive,
        types: {
          adaptive: flag(capabilities.thinking.adaptive),
          enabled: flag(capabilities.thinking.enabled),
          // Thinking can be turned off except where it is always on or `between_tools` replaces
          // `disabled` (Claude Sonnet 5.5).
          disabled: flag(!capabilities.thinking.alwaysOn && !capabilities.thinking.betweenTools),
          between_tools: flag(capabilities.thinking.betweenTools),
        },
      },
    },
  };
}
