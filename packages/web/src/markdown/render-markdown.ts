import MarkdownIt from 'markdown-it';

/**
 * Model answers are untrusted text: a prompt injection can make a model write HTML, scripts or
 * tracking images. The renderer therefore escapes every raw HTML tag (`html: false`), keeps
 * markdown-it's link check (no `javascript:`, `vbscript:`, `file:` or `data:` links), does not
 * render Markdown images at all (an image URL can carry data out of the page when it loads), and
 * opens links in a new tab without giving it a handle on this page.
 *
 * The output carries no `style` attribute: the server's CSP has no `'unsafe-inline'` for styles,
 * so markdown-it's `style="text-align:…"` on aligned table cells would be blocked (and reported as
 * a violation). Alignment becomes a class (`align-left|center|right`) that the stylesheet defines.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });
markdown.disable('image');

const defaultLinkOpen =
  markdown.renderer.rules.link_open ??
  ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
  const token = tokens[index]!;
  token.attrSet('target', '_blank');
  token.attrSet('rel', 'noopener noreferrer nofollow');
  return defaultLinkOpen(tokens, index, options, env, self);
};

const alignments = new Set(['left', 'center', 'right']);

markdown.core.ruler.push('alignment_classes', (state) => {
  for (const token of state.tokens) {
    if (token.type !== 'th_open' && token.type !== 'td_open') continue;
    const style = token.attrGet('style');
    if (style === null) continue;
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
    const alignment = /^text-align:(\w+)$/.exec(String(style))?.[1];
    if (alignment !== undefined && alignments.has(alignment)) {
      token.attrJoin('class', `align-${alignment}`);
    }
  }
});

/** Renders untrusted Markdown as HTML that is safe to insert into the page. */
export function renderMarkdown(text: string): string {
  return markdown.render(text);
}
