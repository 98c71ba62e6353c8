import type { TextBlockParam } from '@anthropic-ai/sdk/resources/messages';

/** What a dynamic system prompt knows about the project the user works on. */
export interface ProjectContext {
  /** The kind of project, e.g. "E-commerce API". */
  type?: string;
  /** Languages, frameworks and services in use. */
  techStack?: string[];
  /** Constraints the answers must respect, e.g. "Must support 10k requests/second". */
  constraints?: string;
}

/** Options for {@link dynamicSystemPrompt}. */
export interface DynamicSystemPromptOptions {
  /** The stable instructions (usually a rendered prompt file); sent first so it can be cached. */
  base: string;
  /** The authenticated user, as your application knows them (never as the model claims). */
  user?: { name: string; role?: string };
  /** Project context for this user or workspace. */
  project?: ProjectContext;
  /** The current time; inject a fixed clock in tests. Default: the wall clock. */
  now?: () => Date;
  /** IANA time zone for the date line; default UTC. */
  timeZone?: string;
  /** Cache the stable base block (`cache_control: ephemeral`). Default true. */
  cacheBase?: boolean;
}

/** A system prompt split into a stable part and a per-request part. */
export interface DynamicSystemPrompt {
  /** The whole prompt as one string. */
  text: string;
  /**
   * The prompt as system blocks: the stable base first (cacheable), then the per-request context.
   * The date changes every minute, so it must come after the cache breakpoint, never before.
   */
  blocks: TextBlockParam[];
}

function formatDateTime(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} (${timeZone})`;
}

/** Builds a system prompt from stable instructions plus who is asking, when, and on what project. */
export function dynamicSystemPrompt(options: DynamicSystemPromptOptions): DynamicSystemPrompt {
  const now = (options.now ?? (() => new Date()))();
  const lines: string[] = [];
  if (options.user) {
    const role = options.user.role ? `, who is a ${options.user.role}` : '';
    lines.push(`You are helping ${options.user.name}${role}.`);
  }
  lines.push(`Current date and time: ${formatDateTime(now, options.timeZone ?? 'UTC')}`);
  const project = options.project;
  if (project?.type) lines.push(`Project context: ${project.type}`);
  if (project?.techStack?.length) lines.push(`Tech stack in use: ${project.techStack.join(', ')}`);
  if (project?.constraints) lines.push(`Constraints to consider: ${project.constraints}`);
  const context = lines.join('\n');
  const base = options.base.trim();
  return {
    text: `${base}\n\n${context}`,
    blocks: [
      {
        type: 'text',
        text: base,
        ...(options.cacheBase === false ? {} : { cache_control: { type: 'ephemeral' as const } }),
      },
      { type: 'text', text: context },
    ],
  };
}
