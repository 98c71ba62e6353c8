import { longText } from './long-text.ts';
import { sentimentOf } from './sentiment.ts';
import { topicPhrase } from './string-values.ts';
import { contentStems, overlap, pick, sentences } from './words.ts';

const identityPattern =
  /\b(?:who are you|what are you|what model|which model|are you (?:claude|an ai|a bot|a robot|human|real)|your name)\b/i;
const greetingPattern =
  /^(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening)|greetings)\b[\s,!.]*(?:there|all|everyone|friend)?[\s!.?]*$/i;
const thanksPattern = /^(?:thanks|thank you|thx|cheers|much appreciated)\b/i;
const longPattern =
  /\b(?:story|stories|essay|article|blog post|report|in detail|in depth|detailed|long|lengthy|thorough(?:ly)?|comprehensive|\d+\s+paragraphs|several paragraphs|many paragraphs)\b/i;
const storyPattern = /\b(?:story|stories|tale|fable|narrative)\b/i;
const arithmeticPattern = /(-?\d+(?:\.\d+)?)\s*([+\-*/x×÷])\s*(-?\d+(?:\.\d+)?)(?!\s*[\d.])/;
const questionStart =
  /^(?:what|why|how|when|where|who|which|can|could|should|would|is|are|do|does|did|will)\b/i;

/** The subject of a request: the words after "about"/"on"/"explaining", or its topic words. */
export function subjectOf(text: string): string {
  const about = text.match(
    /\b(?:about|regarding|on the topic of|explaining|describing|on)\s+([^.?!\n]{3,80})/i,
  );
  if (about) return about[1]!.trim().replace(/\s+(?:please|for me|in detail|in depth)$/i, '');
  const words = topicPhrase(
    text.replace(
      /\b(?:write|tell|explain|describe|long|story|essay|detail|detailed|paragraphs?|please)\b/gi,
      ' ',
    ),
    6,
  );
  return words || 'this topic';
}

function arithmetic(text: string): string | undefined {
  const match = text.match(arithmeticPattern);
  if (!match || !/\b(?:what(?:'s| is)|calculate|compute|how much is)\b|=\s*\??\s*$/i.test(text))
    return undefined;
  const left = Number(match[1]);
  const right = Number(match[3]);
  const operator = match[2]!;
  let value: number;
  if (operator === '+') value = left + right;
  else if (operator === '-') value = left - right;
  else if (operator === '*' || operator === 'x' || operator === '×') value = left * right;
  else if (right === 0) return `${left} divided by 0 is undefined.`;
  else value = left / right;
  const shown = Number.isInteger(value) ? String(value) : String(Number(value.toFixed(6)));
  return `${match[1]} ${operator} ${match[3]} = ${shown}.`;
}

/**
 * "Classify this as billing, technical or account: ..." answers with one of the options: the
 * one sharing most words with the rest of the text, else the first.
 */
function classification(text: string): string | undefined {
  const match = text.match(
    /\b(?:one of|(?:classify|categori[sz]e|label|tag)(?:\s+\w+){0,3}?\s+(?:as|into)|(?:answer|reply|respond) with)\s*:?\s*((?:["'`]?[\w-]+["'`]?(?:\s+[\w-]+)?\s*,\s*)+(?:or\s+|and\s+)?["'`]?[\w-]+["'`]?|["'`]?[\w-]+["'`]?\s+or\s+["'`]?[\w-]+["'`]?)/i,
  );
  if (!match) return undefined;
  const options = match[1]!
    .split(/\s*,\s*|\s+or\s+|\s+and\s+/i)
    .map((option) =>
      option
        .replace(/^(?:or|and)\s+/i, '')
        .replace(/["'`]/g, '')
        .trim(),
    )
    .filter(Boolean);
  if (options.length < 2) return undefined;
  const rest = contentStems(text.replace(match[0], ' '));
  let best = { option: options[0]!, score: 0 };
  for (const option of options) {
    const score = overlap(contentStems(option), rest);
    if (score > best.score) best = { option, score };
  }
  return best.option;
}

function summaryOf(text: string): string | undefined {
  const match = text.match(/\bsummari[sz]e\b[^:\n]*[:\n]\s*([\s\S]{20,})$/i);
  if (!match) return undefined;
  const lead = sentences(match[1]!)
    .slice(0, 2)
    .map((s) => s.text);
  return lead.length > 0 ? `In short: ${lead.join(' ')}` : undefined;
}

function paragraphCount(text: string): number | undefined {
  const match = text.match(/\b(\d+|two|three|four|five|six|seven|eight)\s+paragraphs\b/i);
  if (!match) return undefined;
  const named: Record<string, number> = {
    two: 2,
    three: 3,
    four: 4,
    five: 5,
    six: 6,
    seven: 7,
    eight: 8,
  };
  return named[match[1]!.toLowerCase()] ?? Number(match[1]);
}

/**
 * A plain-prose reply derived from the user's words: greetings are greeted, simple arithmetic
 * is done, "summarize: ..." summarizes, requests for something long get several paragraphs,
 * and anything else gets a short acknowledgement that restates the topic. Never claims to be
 * Claude.
 */
export function proseReply(userText: string): string {
  const text = userText.trim();
  if (text === '') return "I didn't receive any text. What would you like to talk about?";
  if (identityPattern.test(text)) {
    return "I'm the Keel emulator, a local stand-in for the Claude API. My replies are generated deterministically from your request, so they are useful for development and tests rather than as real answers.";
  }
  if (greetingPattern.test(text))
    return pick(['Hello! How can I help you today?', 'Hi there! What can I do for you?'], text);
  if (thanksPattern.test(text))
    return "You're welcome! Let me know if there's anything else I can help with.";
  const computed = arithmetic(text);
  if (computed) return computed;
  const label = classification(text);
  if (label) return label;
  // "Say hello", "Reply with exactly: OK": a model says it.
  const dictated = text.match(
    /^(?:please\s+)?(?:say|reply with|respond with|answer with|repeat)(?:\s+(?:exactly|only|just))?\s*:?\s+["“']?([^"”?\n]{1,200}?)["”']?[.!]?$/i,
  );
  if (dictated) return dictated[1]!.replace(/^\p{Ll}/u, (letter) => letter.toUpperCase());
  const summary = summaryOf(text);
  if (summary) return summary;
  if (/\bsentiment\b/i.test(text)) {
    const quoted = text.match(/["“]([^"”]+)["”]/)?.[1] ?? text;
    return `The sentiment is ${sentimentOf(quoted.replace(/\bsentiment\b/gi, ''))}.`;
  }
  const subject = subjectOf(text);
  if (longPattern.test(text)) {
    const style = storyPattern.test(text) ? 'story' : 'explanation';
    const paragraphs = paragraphCount(text);
    return longText({ topic: subject, style, ...(paragraphs ? { paragraphs } : {}) });
  }
  if (text.endsWith('?') || questionStart.test(text)) {
    return pick(
      [
        `Here's a short answer about ${subject}: it comes down to a few key points — what it is, why it matters, and how it applies in your situation. I can go into more detail on any of them if you like.`,
        `Good question about ${subject}. The short version is that it depends on your goals and constraints; if you share a bit more context, I can give a more specific answer.`,
      ],
      text,
    );
  }
  return pick(
    [
      `Sure — here's a brief response about ${subject}. Let me know if you'd like more detail or a different angle.`,
      `Understood. On ${subject}: I've noted your request and kept this answer short; ask for more detail if you need it.`,
    ],
    text,
  );
}
