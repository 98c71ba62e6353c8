import type { ToolChoice, ToolParam } from '../messages/request-schema.ts';
import { canonicalStem, impliedActions } from './tool-intents.ts';
import { overlap, stem, toolStems, words } from './words.ts';

/** How well one tool fits the user's words. */
interface ToolScore {
  tool: ToolParam;
  score: number;
  /** The user's stems that appear in the tool's name (what this tool "covers"). */
  nameHits: string[];
}

/** A score at or above this counts as a good match: one name part, or two description words. */
const goodMatchScore = 2;

const nameWeight = 3;

/** Name parts of tools that look things up for a question. */
const searchVerbs = new Set(
  ['search', 'find', 'query', 'lookup', 'retrieve', 'ask', 'research'].map(stem),
);

function score0(nameHits: string[], query: string[], inDescription: string[]): number {
  return nameHits.length + overlap(query, inDescription);
}

/** Verbs with side effects; a tool named with one is not picked on a tie unless it was asked for. */
const consequentialActions = new Set(
  [
    'cancel',
    'delete',
    'remove',
    'drop',
    'destroy',
    'refund',
    'charge',
    'pay',
    'send',
    'transfer',
    'purchase',
    'buy',
    'book',
    'create',
    'update',
    'write',
    'reset',
    'close',
    'approve',
    'reject',
  ].map(stem),
);
const descriptionWeight = 1;

/** Description words up to which each shared word counts fully. */
const focusedDescriptionStems = 40;

/**
 * How much a shared description word counts: fully in a focused description, less in a long
 * manual (Claude Code's Bash tool documents itself in ~1,500 words that share something with
 * any question; the tool whose name fits is still the one a model picks).
 */
function descriptionDilution(stemCount: number): number {
  return stemCount <= focusedDescriptionStems ? 1 : Math.sqrt(focusedDescriptionStems / stemCount);
}

function nameStems(name: string): string[] {
  return toolStems(words(name).join(' ')).map(canonicalStem);
}

/** The stems that say what the text asks for, synonyms folded ("sum" and "adder" meet). */
function queryStems(text: string): string[] {
  return [...new Set([...toolStems(text).map(canonicalStem), ...impliedActions(text)])];
}

/** Scores every tool against the text: name parts weigh 3, description words 1. */
function scoreTools(tools: readonly ToolParam[], text: string): ToolScore[] {
  const query = queryStems(text);
  const isQuestion =
    /\?\s*$/.test(text.trim()) || /^(?:what|how|why|when|where|who|which)\b/i.test(text.trim());
  return tools.map((tool) => {
    const inName = nameStems(tool.name);
    const inDescription = toolStems(tool.description ?? '')
      .map(canonicalStem)
      .filter((s) => !inName.includes(s));
    const nameHits = query.filter((s) => inName.includes(s));
    // Between equal matches, prefer the tool that does not do something the user did not ask
    // for: "where is my order" should look the order up, not cancel it.
    const unaskedAction = inName.some((s) => consequentialActions.has(s) && !query.includes(s));
    const score =
      nameWeight * nameHits.length +
      descriptionWeight *
        descriptionDilution(inDescription.length) *
        overlap(query, inDescription) -
      (unaskedAction ? 0.5 : 0) +
      // A search tool that shares a word with a question is how a question gets researched.
      (isQuestion &&
      score0(nameHits, query, inDescription) > 0 &&
      words(tool.name).some((w) => searchVerbs.has(stem(w)))
        ? 1
        : 0);
    return { tool, score, nameHits };
  });
}

/** Options for {@link selectTools}. */
export interface SelectToolsOptions {
  /** The tools the request offers (client tools with an input schema). */
  tools: readonly ToolParam[];
  /** The request's tool_choice; default auto. */
  toolChoice?: ToolChoice;
  /** The user's words. */
  text: string;
}

/**
 * Picks the tools to call, best first. `auto`: the tools that match well (none when nothing
 * does). `any`: the best tool even on a weak match. `tool`: that tool. Further tools join in
 * parallel only when they cover words of the request the earlier picks do not, and never when
 * parallel use is disabled.
 */
export function selectTools(options: SelectToolsOptions): ToolParam[] {
  const choice = options.toolChoice ?? { type: 'auto' };
  if (choice.type === 'none' || options.tools.length === 0) return [];
  if (choice.type === 'tool') {
    const forced = options.tools.find((tool) => tool.name === choice.name);
    return forced ? [forced] : [];
  }
  const ranked = scoreTools(options.tools, options.text)
    .map((entry, index) => ({ ...entry, index }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
  const best = ranked[0]!;
  if (best.score < goodMatchScore && choice.type !== 'any') return [];

  const picked = [best];
  if (!choice.disable_parallel_tool_use) {
    const covered = new Set(best.nameHits);
    for (const candidate of ranked.slice(1)) {
      if (candidate.score < goodMatchScore) break;
      const fresh = candidate.nameHits.filter((s) => !covered.has(s));
      if (fresh.length === 0) continue;
      picked.push(candidate);
      for (const s of candidate.nameHits) covered.add(s);
    }
  }
  // Parallel calls come in the order the request lists its tools.
  return picked.sort((a, b) => a.index - b.index).map((entry) => entry.tool);
}

/**
 * The part of the text that concerns one tool (the clause sharing most words with the tool's
 * name and description), followed by the whole text so nothing is lost. Values found in the
 * clause come first, so parallel calls take their own arguments ("weather in Paris and the
 * time in Tokyo").
 */
export function textForTool(tool: ToolParam, text: string): string {
  const clauses = text
    .split(/[.;!?\n]+|,\s*|\s+(?:and|then|also|plus)\s+/i)
    .filter((c) => c.trim());
  if (clauses.length < 2) return text;
  const toolWords = new Set([
    ...nameStems(tool.name),
    ...toolStems(tool.description ?? '').map(canonicalStem),
  ]);
  let best = { clause: '', score: 0 };
  clauses.forEach((clause, index) => {
    const stems = words(clause).map((word) => canonicalStem(stem(word)));
    const score = stems.filter((s) => toolWords.has(s)).length;
    if (score > best.score) {
      // A clause with no values of its own ("what's the weather") borrows from the next one.
      const next = clauses[index + 1] ?? '';
      best = {
        clause: `${clause} ${/\p{Lu}|\d/u.test(clause.slice(1)) ? '' : next}`.trim(),
        score,
      };
    }
  });
  return best.score > 0 ? `${best.clause}\n${text}` : text;
}
