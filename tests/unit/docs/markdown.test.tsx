import { parseHTML } from 'linkedom';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { keepAllowedUrl, Markdown } from '@/components/docs/markdown';
import { refusedLink } from '@/lib/docstore/links';

/** The article's markup, and its document to query. */
function render(source: string) {
  const markup = renderToStaticMarkup(<Markdown source={source} />);
  const { document } = parseHTML(`<!doctype html><html><body>${markup}</body></html>`);
  const root = document.querySelector('div.markdown')!;
  return { markup, root, all: (selector: string) => [...root.querySelectorAll(selector)] };
}

const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim();

describe('Markdown: what technicians write', () => {
  it('renders headings', () => {
    const { all } = render('# Setup\n\n## Printers\n\n### Floor 2\n\nText.');
    expect(all('h1, h2, h3').map((h) => [h.tagName.toLowerCase(), text(h)])).toEqual([
      ['h1', 'Setup'],
      ['h2', 'Printers'],
      ['h3', 'Floor 2'],
    ]);
  });

  it('renders nested lists, unordered and ordered', () => {
    const { all, root } = render('- Office\n  - Reception\n    1. Check the toner\n    2. Restart\n- Warehouse');
    expect(all(':scope > ul > li').map((li) => li.firstChild?.textContent?.trim())).toEqual(['Office', 'Warehouse']);
    expect(text(root.querySelector('ul > li > ul > li'))).toMatch(/^Reception/);
    expect(all('ul > li > ul > li > ol > li').map(text)).toEqual(['Check the toner', 'Restart']);
  });

  it('renders a checklist as disabled checkboxes, checked and unchecked, named by their labels', () => {
    const { all } = render('- [x] Back up the **mailbox**\n- [ ] Reset the password\n  - [ ] Tell the user');
    const boxes = all('li.task-list-item input') as HTMLInputElement[];
    expect(boxes.map((box) => [box.getAttribute('type'), box.hasAttribute('checked'), box.hasAttribute('disabled')])).toEqual([
      ['checkbox', true, true],
      ['checkbox', false, true],
      ['checkbox', false, true],
    ]);
    // The nested item's text is not part of its parent's label.
    expect(boxes.map((box) => box.getAttribute('aria-label'))).toEqual(['Back up the mailbox', 'Reset the password', 'Tell the user']);
    expect(text(all('li.task-list-item')[0])).toBe('Back up the mailbox');
  });

  it('renders a table with its header cells and rows, in a wrapper that scrolls', () => {
    const { all, root } = render('| Host | IP | Port |\n| :-- | --- | --: |\n| fw1 | 10.0.0.1 | 443 |\n| nas | 10.0.0.9 | 5001 |');
    expect(root.querySelector('div.md-table-wrap > table')).not.toBeNull();
    expect(all('thead th').map(text)).toEqual(['Host', 'IP', 'Port']);
    expect(all('tbody tr').map((row) => [...row.querySelectorAll('td')].map(text))).toEqual([
      ['fw1', '10.0.0.1', '443'],
      ['nas', '10.0.0.9', '5001'],
    ]);
    expect(all('thead th')[2]!.getAttribute('style')).toBe('text-align:right');
  });

  it('renders fenced code as <pre><code> with its language, and keeps its text as text', () => {
    const { all } = render('```powershell\nGet-Service | Where-Object { $_.Status -eq "Running" } # <b>not bold</b>\n```\n\n~~~\nplain\n~~~');
    const [first, second] = all('pre > code');
    expect(first!.getAttribute('class')).toBe('language-powershell');
    expect(first!.textContent).toBe('Get-Service | Where-Object { $_.Status -eq "Running" } # <b>not bold</b>\n');
    expect(second!.hasAttribute('class')).toBe(false);
    expect(all('b')).toEqual([]);
  });

  it('renders strikethrough and GFM autolinks', () => {
    const { root, all } = render('~~old~~ see www.example.com or ops@example.com');
    expect(text(root.querySelector('del'))).toBe('old');
    expect(all('a').map((a) => a.getAttribute('href'))).toEqual(['http://www.example.com', 'mailto:ops@example.com']);
  });
});

describe('Markdown: links', () => {
  it('keeps https, mailto and in-page links; the ones that leave the page get rel noopener, web links a new tab', () => {
    const { all } = render('[Vendor](https://vendor.example/docs?a=1) [Mail](mailto:help@example.com) [HTTP](HTTP://old.example) [Top](#top)');
    expect(all('a').map((a) => [text(a), a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel')])).toEqual([
      ['Vendor', 'https://vendor.example/docs?a=1', '_blank', 'noopener noreferrer'],
      ['Mail', 'mailto:help@example.com', null, 'noopener noreferrer'],
      ['HTTP', 'HTTP://old.example', '_blank', 'noopener noreferrer'],
      ['Top', '#top', null, null],
    ]);
  });

  const refused: [string, string][] = [
    ['javascript:', '[click](javascript:alert(1))'],
    ['mixed case', '[click](JaVaScRiPt:alert(1))'],
    ['upper case', '[click](JAVASCRIPT:alert(1))'],
    ['entity-encoded', '[click](jav&#x61;script:alert(1))'],
    ['named entity colon', '[click](javascript&colon;alert(1))'],
    ['data:', '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['vbscript:', '[click](vbscript:msgbox(1))'],
    ['relative', '[click](admin/settings)'],
    ['root-relative', '[click](/options.html)'],
    ['protocol-relative', '[click](//evil.example/x)'],
    ['another scheme', '[click](ftp://files.example/x)'],
    ['empty', '[click]()'],
    ['a reference definition', '[click][r]\n\n[r]: javascript:alert(1)'],
    // Forms the save check (lib/docstore/links.ts) does not see: the renderer refuses them all the same.
    ['nested brackets', '[cl [i] ck](javascript:alert(1))'],
    ['a definition in a quote', '[click][r]\n\n> [r]: javascript:alert(1)'],
    ['a definition in a list', '[click][r]\n\n- [r]: javascript:alert(1)'],
  ];
  it.each(refused)('a %s link keeps its text and loses its link', (_name, source) => {
    const { all, markup } = render(source);
    expect(all('[href]')).toEqual([]);
    expect(all('a')).toEqual([]);
    expect(all('span.md-link-refused').map(text)).toEqual([expect.stringMatching(/^cl.*ck$/)]);
    expect(markup).not.toMatch(/script:|data:|evil|admin|options\.html|ftp/i);
  });

  it('an autolink to a refused scheme shows as text', () => {
    const { all, root } = render('<javascript:alert(1)> <VBSCRIPT:x>');
    expect(all('[href]')).toEqual([]);
    expect(text(root)).toBe('javascript:alert(1) VBSCRIPT:x');
  });

  it('allows what the save check allows, and nothing it refuses', () => {
    const destinations = [
      'https://a.example',
      'http://a.example/x',
      'HTTPS://A.EXAMPLE',
      'mailto:a@b.example',
      '#part',
      'javascript:x',
      'data:x',
      'vbscript:x',
    ];
    for (const url of [...destinations, 'ftp://a.example', 'a/b', '/a', '//a.example', 'https:a.example', 'file:///etc/passwd', 'chrome-extension://x/y']) {
      expect([url, keepAllowedUrl(url, 'href', { type: 'element', tagName: 'a', properties: {}, children: [] })]).toEqual([
        url,
        refusedLink(`[x](${url})`) === undefined ? url : undefined,
      ]);
    }
  });
});

describe('Markdown: HTML and images', () => {
  /** Elements markup can only come from raw HTML (or a loaded image). */
  const DANGEROUS = 'img, script, iframe, object, embed, svg, style, form, b, [onerror], [onclick], [onload], [src], [style*="url"]';

  it('finds those elements when they are there (the check below can fail)', () => {
    const { document } = parseHTML('<html><body><div class="markdown"><p><img src="x" onerror="alert(1)"><script>alert(1)</script></p></div></body></html>');
    expect(document.querySelectorAll(DANGEROUS).length).toBeGreaterThan(0);
  });

  it('shows raw HTML as text and makes no element of it', () => {
    const source = [
      '<img src=x onerror=alert(1)>',
      '',
      '<script>alert(1)</script>',
      '',
      'Inline <b onclick="alert(1)">bold</b> and <iframe src="https://evil.example"></iframe>.',
      '',
      '<svg onload=alert(1)><style>body{background:url(https://t.example/p)}</style></svg>',
    ].join('\n');
    const { all, root } = render(source);
    expect(all(DANGEROUS)).toEqual([]);
    expect(text(root)).toContain('<img src=x onerror=alert(1)>');
    expect(text(root)).toContain('<script>alert(1)</script>');
    expect(text(root)).toContain('Inline <b onclick="alert(1)">bold</b> and <iframe');
  });

  it('never loads an image: its alt text links to its http(s) URL', () => {
    const { all, markup } = render('![Rack diagram](https://img.example/rack.png "Rack")');
    expect(all('img')).toEqual([]);
    expect(markup).not.toContain('<img');
    expect(all('a.md-image').map((a) => [text(a), a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel')])).toEqual([
      ['Image: Rack diagram', 'https://img.example/rack.png', '_blank', 'noopener noreferrer'],
    ]);
  });

  it('shows an image with any other URL, or inside a link, as its alt text alone', () => {
    const { all } = render(
      '![pixel](data:image/png;base64,iVBORw0KGgo=) ![local](/icon.png) ![](javascript:alert(1)) [![Logo](https://img.example/l.png)](https://vendor.example)',
    );
    expect(all('img')).toEqual([]);
    expect(all('span.md-image').map(text)).toEqual(['Image: pixel', 'Image: local', 'Image: no description', 'Image: Logo']);
    expect(all('a').map((a) => a.getAttribute('href'))).toEqual(['https://vendor.example']);
    expect(all('a a')).toEqual([]);
  });
});

describe('Markdown in the browser', () => {
  it('renders with React 19 createRoot, and React has nothing to warn about', async () => {
    const { window } = parseHTML('<!doctype html><html><body><div id="root"></div></body></html>');
    vi.stubGlobal('window', window);
    vi.stubGlobal('document', window.document);
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
    const complaints = [vi.spyOn(console, 'error'), vi.spyOn(console, 'warn')];
    try {
      const container = window.document.getElementById('root')!;
      const root = createRoot(container as unknown as Element);
      const source =
        '# Onboarding\n\n- [x] Account\n- [ ] Laptop\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n[Portal](https://portal.example) [bad](javascript:alert(1)) ![x](https://img.example/x.png)';
      await act(async () => root.render(<Markdown source={source} />));
      expect([...container.querySelectorAll('input')].map((box) => [box.getAttribute('type'), box.hasAttribute('disabled')])).toEqual([
        ['checkbox', true],
        ['checkbox', true],
      ]);
      expect([...container.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual(['https://portal.example', 'https://img.example/x.png']);
      expect(container.querySelectorAll('img, [onerror]').length).toBe(0);
      await act(async () => root.unmount());
      for (const spy of complaints) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of complaints) spy.mockRestore();
      vi.unstubAllGlobals();
    }
  });
});
