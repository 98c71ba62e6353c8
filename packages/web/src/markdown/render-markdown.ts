import MarkdownIt from 'markdown-it';

/**
 * Model answers are untrusted text: a prompt injection can make a model write HTML, scripts or
 * tracking images. The renderer therefore escapes every raw HTML tag (`html: false`), keeps
 * markdown-it's link check (no `javascript:`, `vbscript:`, `file:` or `data:` links), does not
 * render Markdown images at all (an image URL can carry data out of the page when it loads), and
 * opens links in a new tab without giving it a handle on this page.
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

/** Renders untrusted Markdown as HTML that is safe to insert into the page. */
export function renderMarkdown(text: string): string {
  return markdown.render(text);
}
