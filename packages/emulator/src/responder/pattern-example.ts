/**
 * Builds one string that matches a simple regular expression (`^[A-Z]{3}-\d{4}$`, `^\w+@\w+$`),
 * for schema `pattern`s the text offers nothing for. Handles literals, escapes, character
 * classes, groups with alternation (first branch) and quantifiers; gives up (undefined) on
 * anything else.
 */
export function exampleForPattern(pattern: string): string | undefined {
  try {
    const [result] = sequence(pattern.replace(/^\^/, '').replace(/(?<!\\)\$$/, ''), 0);
    return result;
  } catch {
    return undefined;
  }
}

const classSamples: Record<string, string> = { d: '1', w: 'a', s: ' ', D: 'a', W: '-', S: 'a' };

/** Reads one atom at `at`; returns its sample and the index after it. */
function atom(source: string, at: number): [string, number] {
  const char = source[at]!;
  if (char === '\\') {
    const next = source[at + 1];
    if (next === undefined) throw new Error('dangling escape');
    return [classSamples[next] ?? next, at + 2];
  }
  if (char === '[') {
    const close = source.indexOf(']', at + 2);
    if (close === -1) throw new Error('open class');
    const body = source.slice(at + 1, close);
    if (body.startsWith('^')) return [body.includes('a') ? 'Z' : 'a', close + 1];
    if (body.startsWith('\\')) return [classSamples[body[1]!] ?? body[1]!, close + 1];
    return [body[0]!, close + 1];
  }
  if (char === '(') {
    const [inner, end] = sequence(source, at + 1 + (source.startsWith('?:', at + 1) ? 2 : 0));
    return [inner, end + 1];
  }
  if (char === '.') return ['a', at + 1];
  if ('*+?{|)'.includes(char)) throw new Error(`unexpected ${char}`);
  return [char, at + 1];
}

/** Reads atoms with quantifiers until the end or a `)`; `|` keeps only the first branch. */
function sequence(source: string, start: number): [string, number] {
  let out = '';
  let at = start;
  let skipping = false;
  let depth = 0;
  while (at < source.length) {
    const char = source[at]!;
    if (skipping) {
      if (char === '\\') at++;
      else if (char === '(') depth++;
      else if (char === ')') {
        if (depth === 0) return [out, at];
        depth--;
      }
      at++;
      continue;
    }
    if (char === ')') return [out, at];
    if (char === '|') {
      skipping = true;
      at++;
      continue;
    }
    const [sample, next] = atom(source, at);
    at = next;
    let times = 1;
    const quantifier = source[at];
    if (quantifier === '*' || quantifier === '?') {
      times = 0;
      at++;
    } else if (quantifier === '+') {
      at++;
    } else if (quantifier === '{') {
      const close = source.indexOf('}', at);
      const [min] = source.slice(at + 1, close).split(',');
      times = Number(min);
      at = close + 1;
    }
    if (source[at] === '?') at++;
    out += sample.repeat(times);
  }
  return [out, at];
}
