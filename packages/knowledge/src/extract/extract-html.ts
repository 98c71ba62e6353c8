import { decodeHtmlEntities } from './decode-html-entities.ts';
import type { DocumentBlock, ExtractedDocument } from './extracted-document.ts';

/** Elements whose content is never shown as text. */
const hidden = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'iframe',
  'object',
  'nav',
]);
/** Elements that end the current paragraph. */
const blockLevel = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'aside',
  'nav',
  'blockquote',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'table',
  'tr',
  'td',
  'th',
  'thead',
  'tbody',
  'figure',
  'figcaption',
  'form',
  'fieldset',
  'hr',
  'address',
  'details',
  'summary',
  'body',
  'html',
]);

const tagPattern = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<!?\/?([a-zA-Z][\w:-]*)?[^>]*>/g;

/**
 * Reads HTML without a DOM: scripts, styles and other hidden elements are dropped, h1-h6 become
 * headings, <pre> becomes a code block (whitespace kept), block elements end paragraphs, and
 * entities are decoded. Tolerant of malformed markup: unclosed tags simply end at the next block.
 */
export function extractHtml(source: string): ExtractedDocument {
  const blocks: DocumentBlock[] = [];
  let title: string | null = null;
  let text = '';
  let mode:
    { kind: 'text' } | { kind: 'heading'; level: number } | { kind: 'pre' } | { kind: 'title' } = {
    kind: 'text',
  };
  let hiddenUntil: string | null = null;
  let position = 0;

  const flush = () => {
    const content = decodeHtmlEntities(text)
      .replace(/[ \t\r\n\f]+/g, ' ')
      .trim();
    text = '';
    if (!content) return;
    if (mode.kind === 'heading') blocks.push({ kind: 'heading', level: mode.level, text: content });
    else if (mode.kind === 'title') title = content;
    else blocks.push({ kind: 'paragraph', text: content });
  };

  for (const match of source.matchAll(tagPattern)) {
    const raw = match[0];
    const before = source.slice(position, match.index);
    position = match.index + raw.length;
    if (hiddenUntil === null) text += before;
    const name = match[1]?.toLowerCase();
    if (!name || raw.startsWith('<!')) continue;
    const closing = raw.startsWith('</');

    if (hiddenUntil !== null) {
      if (closing && name === hiddenUntil) hiddenUntil = null;
      continue;
    }
    if (name === 'title' && !closing) {
      flush();
      mode = { kind: 'title' };
      continue;
    }
    if (hidden.has(name) && !closing && !raw.endsWith('/>')) {
      flush();
      hiddenUntil = name;
      continue;
    }
    const heading = /^h([1-6])$/.exec(name);
    if (heading || name === 'pre' || name === 'title') {
      if (closing && mode.kind === 'pre' && name === 'pre') {
        const code = decodeHtmlEntities(text.replace(/<[^>]*>/g, '')).replace(/^\n|\s+$/g, '');
        if (code) blocks.push({ kind: 'code', text: code });
        text = '';
        mode = { kind: 'text' };
      } else if (closing) {
        flush();
        mode = { kind: 'text' };
      } else {
        flush();
        mode = heading ? { kind: 'heading', level: Number(heading[1]) } : { kind: 'pre' };
      }
      continue;
    }
    if (mode.kind === 'pre') continue;
    if (name === 'br') text += '\n';
    else if (name === 'li' && !closing) {
      flush();
      text = '- ';
    } else if (name === 'td' || name === 'th') text += ' ';
    else if (blockLevel.has(name) && mode.kind === 'text') flush();
  }
  if (hiddenUntil === null) text += source.slice(position);
  flush();
  return {
    title:
      title ?? blocks.find((block) => block.kind === 'heading' && block.level === 1)?.text ?? null,
    blocks: blocks.filter((block) => block.kind !== 'paragraph' || block.text !== '-'),
  };
}
