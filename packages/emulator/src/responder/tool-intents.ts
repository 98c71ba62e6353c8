import { stem } from './words.ts';

/**
 * What a request asks for in words a tool's name does not share: "the sum of 3 and 4" is what
 * an `AdderTool` does, "what does notes.txt say" is what a `Read` tool does. A real model makes
 * these connections; keyword overlap alone does not. Each concept is a set of stems that mean
 * the same action; scoring compares concepts instead of the raw stems.
 */
const concepts: Record<string, string[]> = {
  add: ['add', 'adder', 'addition', 'sum', 'plus', 'total'],
  subtract: ['subtract', 'subtraction', 'minus', 'difference'],
  // Not "times" (its stem is "time") nor "product" (a catalogue's products): too ambiguous.
  multiply: ['multiply', 'multiplication', 'multiplier'],
  divide: ['divide', 'division', 'divider', 'quotient'],
  read: ['read', 'reader'],
};

const conceptOfStem = new Map<string, string>();
for (const [concept, members] of Object.entries(concepts)) {
  for (const member of members) conceptOfStem.set(stem(member), concept);
}

/** The concept a stem belongs to ("sum" -> "add"), or the stem itself. */
export function canonicalStem(word: string): string {
  return conceptOfStem.get(word) ?? word;
}

/** Arithmetic written with symbols between numbers: "3 + 4", "6 × 7". */
const symbolActions: Array<[RegExp, string]> = [
  [/\d\s*\+\s*\d/, 'add'],
  [/\d\s+-\s+\d/, 'subtract'],
  [/\d\s*[*×x]\s*\d/, 'multiply'],
  [/\d\s*[/÷]\s*\d/, 'divide'],
];

/** A file named in the text: `notes.txt`, `src/app.ts`, `/etc/hosts`, or "the file ...". */
const fileMention =
  /(?:^|[\s"'`(])(?:[\w.-]*\/)*[\w-]+\.[a-z0-9]{1,8}(?=$|[\s"'`),.?!:;])|\bfiles?\b/i;

/** Asking what a file holds: "what does X say", "contents of X", "show me X", "read X". */
const readingQuestion =
  /\bwhat(?:'s| is| does)?\b[^?!\n]{0,80}\b(?:say|says|contain|contains|in it)\b|\bcontents?\s+of\b|\b(?:read|open|show me|print|display|look at|summari[sz]e)\b/i;

/**
 * Action concepts the text implies without naming them: arithmetic symbols, and a question
 * about what a named file says (which is reading it).
 */
export function impliedActions(text: string): string[] {
  const actions = symbolActions.filter(([pattern]) => pattern.test(text)).map(([, a]) => a);
  if (fileMention.test(text) && readingQuestion.test(text)) actions.push('read');
  return actions;
}
