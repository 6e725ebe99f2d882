import { createContext, memo, useContext, type ComponentProps } from 'react';
import ReactMarkdown, { type Components, type ExtraProps, type UrlTransform } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import './markdown.css';

/**
 * The link destinations an article keeps: the web, e-mail and anchors on the page. The same rule
 * as the save check (lib/docstore/links.ts, which components/ may not import: a test checks that
 * the two agree), applied again here so the renderer is safe on its own, whatever the body.
 */
const ALLOWED_URL = /^(https?:\/\/|mailto:|#)/i;
const WEB_URL = /^https?:\/\//i;

/**
 * Every URL the Markdown produces (a link's href, an image's src) passes here, after Markdown has
 * decoded its character references (`jav&#x61;script:` arrives as `javascript:`). Anything but
 * http(s), mailto and `#` is dropped: `javascript:`, `data:`, `vbscript:`, relative and
 * protocol-relative URLs. The components below never see the URL they were written with.
 */
export const keepAllowedUrl: UrlTransform = (url) => (ALLOWED_URL.test(url) ? url : undefined);

/** Inside a link, an image shows its alt text alone (a link inside a link is invalid HTML). */
const InLink = createContext(false);
/** A checklist item's text, the accessible name of its checkbox. */
const TaskLabel = createContext<string | undefined>(undefined);

function Link({ node: _node, href, children, ...rest }: ComponentProps<'a'> & ExtraProps) {
  // No href: keepAllowedUrl dropped it (or it was empty). The text stays, as text.
  if (!href) return <span className="md-link-refused">{children}</span>;
  const leaves = !href.startsWith('#');
  return (
    <a {...rest} href={href} target={WEB_URL.test(href) ? '_blank' : undefined} rel={leaves ? 'noopener noreferrer' : undefined}>
      <InLink value={true}>{children}</InLink>
    </a>
  );
}

/**
 * Images are never loaded: a remote image would tell its server who read the article and when, and
 * this is an extension page. An image shows as its alt text, linking to its http(s) URL (a new tab)
 * so the reader can still open it on purpose; inside a link, or with any other URL, the alt text alone.
 */
function Image({ src, alt }: ComponentProps<'img'> & ExtraProps) {
  const inLink = useContext(InLink);
  const label = `Image: ${alt?.trim() || 'no description'}`;
  if (inLink || typeof src !== 'string' || !WEB_URL.test(src)) return <span className="md-image">{label}</span>;
  return (
    <a className="md-image" href={src} target="_blank" rel="noopener noreferrer">
      {label}
    </a>
  );
}

/** A checklist item's checkbox (GFM's task lists are the only inputs Markdown makes): shown, never changed here. */
function Checkbox({ type, checked }: ComponentProps<'input'> & ExtraProps) {
  const label = useContext(TaskLabel);
  if (type !== 'checkbox') return null;
  return <input type="checkbox" checked={checked === true} disabled readOnly aria-label={label} />;
}

type TextNode = { type: string; value?: string; tagName?: string; children?: TextNode[] };

/** The text of a checklist item, without its nested lists. */
function itemText(node: TextNode | undefined): string | undefined {
  let text = '';
  const walk = (child: TextNode) => {
    if (child.type === 'text') text += child.value ?? '';
    else if (child.tagName !== 'ul' && child.tagName !== 'ol') child.children?.forEach(walk);
  };
  node?.children?.forEach(walk);
  return text.replace(/\s+/g, ' ').trim() || undefined;
}

function ListItem({ node, children, ...rest }: ComponentProps<'li'> & ExtraProps) {
  if (!rest.className?.split(' ').includes('task-list-item')) return <li {...rest}>{children}</li>;
  return (
    <li {...rest}>
      <TaskLabel value={itemText(node)}>{children}</TaskLabel>
    </li>
  );
}

/** A wide table scrolls sideways inside its wrapper instead of widening the page. */
function Table({ node: _node, ...rest }: ComponentProps<'table'> & ExtraProps) {
  return (
    <div className="md-table-wrap">
      <table {...rest} />
    </div>
  );
}

const COMPONENTS: Components = { a: Link, img: Image, input: Checkbox, li: ListItem, table: Table };
const REMARK_PLUGINS = [remarkGfm];

/**
 * A technician's article, rendered as React elements (react-markdown, GitHub-flavoured: tables,
 * checklists, strikethrough, autolinks). Never an HTML string: raw HTML in the source shows as text
 * (react-markdown's default, no rehype-raw), links keep only the URLs keepAllowedUrl allows, and
 * images are not loaded. Code blocks are `<pre><code class="language-…">`, unhighlighted.
 */
export const Markdown = memo(function Markdown({ source }: { source: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={REMARK_PLUGINS} urlTransform={keepAllowedUrl} components={COMPONENTS}>
        {source}
      </ReactMarkdown>
    </div>
  );
});
