import { pick } from './words.ts';

/**
 * Several paragraphs of plain, deterministic prose (a story or an explanation), so streaming,
 * stop sequences and max_tokens can be exercised with realistic lengths. The same topic always
 * gives the same text.
 */

const storyParagraphs = [
  'Once upon a time, in a place not so different from our own, there was {subject}. Every morning began the same way, with the quiet certainty that today would be like yesterday. The neighbors knew the routine by heart, and nobody expected anything to change. Yet something small had already started to shift, the way weather turns before anyone notices the clouds.',
  'It began with a question that would not go away. The {hero} tried to ignore it at first, filling the days with familiar work and familiar faces. But the question returned at night, patient and persistent, until there was nothing to do but follow it. So, with a small bag and a large amount of doubt, the {hero} set out before sunrise.',
  'The road was longer than any map suggested. There were wrong turns, kind strangers, and one very stubborn bridge that seemed to have opinions about who could cross it. Each setback taught something useful, even when the lesson arrived in an unwelcome shape. Slowly, the {hero} learned to listen more carefully, to the road and to the voice inside that kept saying keep going.',
  'Halfway through the journey came the hardest moment. Everything that had seemed clear became tangled, and the old life looked very comfortable from a distance. The {hero} sat by a fire and counted what had been lost and what had been found. The second list, it turned out, was longer, and that was enough to stand up and continue.',
  'When the answer finally came, it was smaller and stranger than expected, and entirely worth the trip. The {hero} returned home changed in ways that were hard to explain but easy to see. The neighbors noticed, of course, and some of them began asking questions of their own. And that, as these things go, is how one story quietly becomes the beginning of many others.',
  'Years later, people still told the tale of {subject}, each version a little different from the last. Some added dragons, some removed the bridge, and one insisted the whole thing happened in a single afternoon. The {hero} only smiled at these versions, because the details had never been the point. What mattered was the moment of deciding to go.',
];

const explanationParagraphs = [
  '{Topic} is a subject that rewards a careful look. At first glance it can seem simple, but the details matter, and the way the pieces fit together explains most of what people find surprising about it. This overview walks through the background, the central ideas, the common pitfalls, and a few practical examples.',
  'Some background helps. {Topic} did not appear fully formed; it grew out of earlier ideas and practical needs, and each stage left traces that are still visible today. Understanding where it came from makes it easier to see why it works the way it does, and why certain conventions persist even when newer approaches exist.',
  'The central idea can be stated plainly: a small number of principles do most of the work. Once those principles are clear, many specific cases stop looking like special rules and start looking like consequences. That is why experienced practitioners spend more time on the fundamentals than on memorizing exceptions.',
  'There are trade-offs, and they are worth naming. What makes {topic} powerful in one setting can make it awkward in another. Speed competes with accuracy, flexibility with predictability, and short-term convenience with long-term maintenance. Good decisions come from being explicit about which of these matters most in the situation at hand.',
  'A concrete example makes this easier to picture. Imagine a team approaching {topic} for the first time. They start with the simplest version that could possibly work, measure what happens, and improve one thing at a time. Each step is small, but the result after a few iterations is far better than an ambitious plan that never gets tested.',
  'Common mistakes tend to repeat. People skip the fundamentals, copy a solution without understanding its assumptions, or optimize something that was never the bottleneck. The remedy is unglamorous: read carefully, test early, and keep a short list of what has actually been verified versus what is only believed.',
  'In summary, {topic} is best understood as a set of connected ideas rather than a list of facts. Start with the principles, respect the trade-offs, learn from concrete examples, and revisit assumptions as conditions change. With that approach, the subject becomes not only understandable but genuinely useful.',
];

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The main noun of a subject phrase: "a dragon who learns to bake" -> "dragon". */
function heroOf(subject: string): string {
  const match = subject.match(
    /^(?:(?:a|an|the|one|my|our|some)\s+)?(?:\w+\s+)??(\w+)(?:\s+(?:who|that|which|with|from|in|on)\b|$)/i,
  );
  return (match?.[1] ?? 'traveler').toLowerCase();
}

/** Options for {@link longText}. */
export interface LongTextOptions {
  /** What the text is about, as a phrase ("a dragon who learns to bake"). */
  topic: string;
  /** A story (narrative) or an explanation (essay-like). */
  style: 'story' | 'explanation';
  /** How many paragraphs; default 5. */
  paragraphs?: number;
}

/** Several paragraphs about the topic, separated by blank lines. */
export function longText(options: LongTextOptions): string {
  const count = Math.max(1, Math.min(options.paragraphs ?? 5, 12));
  const pool = options.style === 'story' ? storyParagraphs : explanationParagraphs;
  const topic = options.topic.trim() || 'this topic';
  const hero = heroOf(topic);
  const chosen: string[] = [];
  for (let i = 0; i < count; i++) {
    const paragraph =
      i < pool.length - 1
        ? pool[i]!
        : i === count - 1
          ? pool.at(-1)!
          : pick(pool.slice(1, -1), `${topic}:${i}`);
    chosen.push(paragraph);
  }
  if (count >= 2) chosen[count - 1] = pool.at(-1)!;
  return chosen
    .map((paragraph) =>
      paragraph
        .replaceAll('{subject}', topic)
        .replaceAll('{hero}', hero)
        .replaceAll('{Topic}', capitalize(topic))
        .replaceAll('{topic}', topic),
    )
    .join('\n\n');
}
