import type { DocumentBlock, ExtractedDocument } from './extracted-document.ts';

const fence = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)/;
const atxHeading = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

/** Splits Markdown into headings, paragraphs and fenced code blocks (kept verbatim). */
export function extractMarkdown(source: string): ExtractedDocument {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: DocumentBlock[] = [];
  let title: string | null = null;
  let index = 0;

  // YAML front matter: skipped as content, but its `title:` names the document.
  if (lines[0]?.trim() === '---') {
    const end = lines.indexOf('---', 1);
    if (end > 0) {
      for (const line of lines.slice(1, end)) {
        const match = /^title:\s*["']?(.*?)["']?\s*$/.exec(line);
        if (match?.[1]) title = match[1];
      }
      index = end + 1;
    }
  }

  let paragraph: string[] = [];
  const flush = () => {
    const text = paragraph.join('\n').trim();
    if (text) blocks.push({ kind: 'paragraph', text });
    paragraph = [];
  };

  for (; index < lines.length; index++) {
    const line = lines[index]!;
    const opening = fence.exec(line);
    if (opening) {
      flush();
      const marker = opening[1]!;
      const body: string[] = [];
      for (index++; index < lines.length; index++) {
        const candidate = lines[index]!;
        if (candidate.trim().startsWith(marker[0]!.repeat(marker.length))) break;
        body.push(candidate);
      }
      const language = opening[2] || undefined;
      blocks.push({ kind: 'code', text: body.join('\n'), ...(language ? { language } : {}) });
      continue;
    }
    const heading = atxHeading.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]! });
      continue;
    }
    // Setext headings: a paragraph line underlined with === or ---.
    if (paragraph.length === 1 && /^ {0,3}(=+|-+)\s*$/.test(line)) {
      const text = paragraph[0]!.trim();
      paragraph = [];
      blocks.push({ kind: 'heading', level: line.trim().startsWith('=') ? 1 : 2, text });
      continue;
    }
    if (line.trim() === '') flush();
    else paragraph.push(line);
  }
  flush();
  title ??= blocks.find((block) => block.kind === 'heading' && block.level === 1)?.text ?? null;
  return { title, blocks };
}
