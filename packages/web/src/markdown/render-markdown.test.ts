import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './render-markdown.ts';

describe('renderMarkdown', () => {
  it('renders the Markdown a model writes: emphasis, lists, code, tables of contents', () => {
    const html = renderMarkdown(
      '**Shipped** on *Monday*.\n\n- one\n- two\n\n`ORD-1`\n\n```\ncode <b>\n```',
    );
    expect(html).toContain('<strong>Shipped</strong>');
    expect(html).toContain('<em>Monday</em>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<code>ORD-1</code>');
    expect(html).toContain('code &lt;b&gt;');
  });

  it('escapes raw HTML: script tags and event handlers arrive as text, never as elements', () => {
    const html = renderMarkdown(
      'Hello <script>window.pwned = 1</script> and <img src=x onerror="window.pwned = 2"> and <a href="#" onclick="x()">a</a>',
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<a href="#"/i);
    expect(html).toContain('&lt;script&gt;window.pwned = 1&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;window.pwned = 2&quot;&gt;');
  });

  it('escapes HTML blocks as well as inline HTML', () => {
    const html = renderMarkdown(
      '<div onmouseover="steal()">\n\n<iframe src="https://x"></iframe>\n\n</div>',
    );
    expect(html).not.toMatch(/<div|<iframe/i);
    expect(html).toContain('&lt;iframe');
  });

  it('refuses script links and never loads Markdown images', () => {
    const html = renderMarkdown(
      '[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) ![tracker](https://evil.example/pixel.png?secret=1)',
    );
    expect(html).not.toContain('href="javascript:');
    expect(html).not.toContain('href="data:');
    expect(html).not.toMatch(/<img/i);
  });

  it('opens ordinary links in a new tab without an opener', () => {
    const html = renderMarkdown(
      'See [returns](https://acme.example/returns) or https://acme.example',
    );
    expect(html).toContain(
      '<a href="https://acme.example/returns" target="_blank" rel="noopener noreferrer nofollow">returns</a>',
    );
    expect(html).toContain('<a href="https://acme.example" target="_blank"');
  });

  it('escapes attribute breakouts in link targets and titles', () => {
    const html = renderMarkdown('[x](https://a.example/"onmouseover="alert(1) "t\\"itle")');
    expect(html).not.toMatch(/"\s*onmouseover=/);
  });

  it('aligns table columns with classes, never a style attribute the CSP would block', () => {
    const html = renderMarkdown(
      '| item | qty | price | note |\n| :--- | :-: | ---: | --- |\n| Teapot | 1 | $40.00 | cast iron |',
    );
    expect(html).not.toContain('style=');
    expect(html).toContain('<th class="align-left">item</th>');
    expect(html).toContain('<th class="align-center">qty</th>');
    expect(html).toContain('<td class="align-right">$40.00</td>');
    expect(html).toContain('<td>cast iron</td>');
  });

  it('defines every alignment class it emits in the stylesheet', () => {
    const css = readFileSync(new URL('../styles.css', import.meta.url), 'utf8');
    for (const alignment of ['left', 'center', 'right']) {
      expect(css).toMatch(new RegExp(`\\.align-${alignment}\\s*\\{\\s*text-align: ${alignment};`));
    }
  });
});
