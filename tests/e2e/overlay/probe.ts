/**
 * Runs inside Sidecar's overlay frame (entrypoints/overlay-frame: an extension page framed in the
 * PSA tab's closed shadow root), never in the page's world, and answers one query of the e2e
 * suite's overlay locators (./locator.ts). Rects are the frame's own; the driver moves them onto
 * the page.
 *
 * Sent as source text (`overlayProbe.toString()`), so it must stay self-contained: no imports, no
 * references outside its body.
 */

export type ProbeText = { kind: 'string'; value: string } | { kind: 'regexp'; source: string; flags: string };

export type ProbeStep =
  | { kind: 'css'; selector: string }
  | { kind: 'role'; role: string; name?: ProbeText; exact?: boolean }
  | { kind: 'text'; text: ProbeText; exact?: boolean }
  | { kind: 'label'; text: ProbeText; exact?: boolean }
  | { kind: 'filter'; hasText?: ProbeText; hasNotText?: ProbeText; has?: ProbeStep[]; hasNot?: ProbeStep[] }
  | { kind: 'nth'; index: number };

export interface ProbeRequest {
  steps: ProbeStep[];
  /** 'read' answers; 'point' scrolls the (single) match into view and says where to click it; 'focus' focuses it (and selects a text field's content). */
  action: 'read' | 'point' | 'focus';
}

export interface ProbeMatch {
  text: string;
  attributes: Record<string, string>;
  visible: boolean;
  /** Whether it has keyboard focus: the frame's focused element, in a frame that has focus. */
  focused: boolean;
  rect: { x: number; y: number; width: number; height: number };
  value?: string;
}

export interface ProbeAnswer {
  /** Whether the overlay frame is there at all (false before the overlay loads). */
  host: boolean;
  matches: ProbeMatch[];
  point?: { x: number; y: number } | { error: string };
}

export function overlayProbe(request: ProbeRequest): ProbeAnswer {
  if (!document.documentElement.hasAttribute('data-sidecar-frame')) return { host: false, matches: [] };
  const root: Document = document;
  const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();
  const textOf = (node: Element) => normalise(node.textContent ?? '');
  const matchesText = (actual: string, expected: ProbeText, exact = false): boolean => {
    if (expected.kind === 'regexp') return new RegExp(expected.source, expected.flags).test(actual);
    const wanted = normalise(expected.value);
    return exact ? actual === wanted : actual.toLowerCase().includes(wanted.toLowerCase());
  };
  const ROLES: Record<string, string> = {
    button: 'button, input[type=button], input[type=submit], input[type=reset], [role=button]',
    link: 'a[href], [role=link]',
    heading: 'h1, h2, h3, h4, h5, h6, [role=heading]',
    region: 'section[aria-label], section[aria-labelledby], [role=region]',
    separator: 'hr, [role=separator]',
    searchbox: 'input[type=search], [role=searchbox]',
    textbox: 'input:not([type]), input[type=text], input[type=email], input[type=url], input[type=tel], input[type=password], textarea, [role=textbox]',
    combobox: 'select, [role=combobox]',
    list: 'ul, ol, [role=list]',
    listitem: 'li, [role=listitem]',
    status: '[role=status]',
    alert: '[role=alert]',
    complementary: 'aside, [role=complementary]',
  };
  const accessibleName = (node: Element): string => {
    const label = node.getAttribute('aria-label');
    if (label) return normalise(label);
    const labelledBy = node.getAttribute('aria-labelledby');
    if (labelledBy)
      return normalise(
        labelledBy
          .split(/\s+/)
          .map((id) => root.getElementById(id)?.textContent ?? '')
          .join(' '),
      );
    if (node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement) return normalise(node.placeholder || node.title || '');
    return textOf(node);
  };
  const descendants = (scopes: (Element | Document)[], selector: string): Element[] => {
    const found = new Set<Element>();
    for (const scope of scopes) for (const node of Array.from(scope.querySelectorAll(selector))) found.add(node);
    return Array.from(found);
  };
  const run = (scopes: (Element | Document)[], steps: ProbeStep[]): (Element | Document)[] => {
    let current = scopes;
    for (const step of steps) {
      if (step.kind === 'css') current = descendants(current, step.selector);
      else if (step.kind === 'role') {
        const selector = ROLES[step.role];
        if (!selector) throw new Error(`The overlay probe knows no role "${step.role}".`);
        current = descendants(current, selector).filter((node) => !step.name || matchesText(accessibleName(node), step.name, step.exact));
      } else if (step.kind === 'text') {
        // Like Playwright's getByText: the innermost elements whose own text matches.
        const all = descendants(current, '*').filter((node) => matchesText(textOf(node), step.text, step.exact));
        current = all.filter((node) => !all.some((other) => other !== node && node.contains(other)));
      } else if (step.kind === 'label') {
        current = descendants(current, '[aria-label], input, textarea, select, button').filter((node) => {
          const label =
            node.getAttribute('aria-label') ??
            normalise(
              Array.from((node as HTMLInputElement).labels ?? [])
                .map((each) => each.textContent ?? '')
                .join(' '),
            );
          return matchesText(normalise(label), step.text, step.exact);
        });
      } else if (step.kind === 'filter') {
        current = current.filter((node) => {
          if (!(node instanceof Element)) return false;
          if (step.hasText && !matchesText(textOf(node), step.hasText)) return false;
          if (step.hasNotText && matchesText(textOf(node), step.hasNotText)) return false;
          if (step.has && run([node], step.has).length === 0) return false;
          if (step.hasNot && run([node], step.hasNot).length > 0) return false;
          return true;
        });
      } else {
        const index = step.index < 0 ? current.length + step.index : step.index;
        current = index >= 0 && index < current.length ? [current[index]!] : [];
      }
    }
    return current;
  };

  const elements = run([root], request.steps).filter((node): node is Element => node instanceof Element);
  const describe = (node: Element): ProbeMatch => {
    const box = node.getBoundingClientRect();
    const style = getComputedStyle(node);
    const attributes: Record<string, string> = {};
    for (const attribute of Array.from(node.attributes)) attributes[attribute.name] = attribute.value;
    return {
      text: textOf(node),
      attributes,
      visible: box.width > 0 && box.height > 0 && style.visibility !== 'hidden',
      focused: document.hasFocus() && document.activeElement === node,
      rect: { x: box.x, y: box.y, width: box.width, height: box.height },
      ...(node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement || node instanceof HTMLSelectElement ? { value: node.value } : {}),
    };
  };
  const answer: ProbeAnswer = { host: true, matches: elements.map(describe) };
  if (request.action === 'read') return answer;
  if (elements.length !== 1) {
    answer.point = { error: `expected one element, found ${elements.length}` };
    return answer;
  }
  const target = elements[0] as HTMLElement;
  target.scrollIntoView({ block: 'center', inline: 'nearest' });
  if (request.action === 'focus') {
    target.focus();
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) target.select();
    answer.point = { x: 0, y: 0 };
    return answer;
  }
  const box = target.getBoundingClientRect();
  const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  // Like Playwright's actionability check: the click would land on this element, not on something over it.
  const hit = root.elementFromPoint(point.x, point.y);
  if (!box.width || !box.height) answer.point = { error: 'not visible' };
  else if (!hit || (hit !== target && !target.contains(hit))) answer.point = { error: 'covered by another element' };
  else answer.point = point;
  return answer;
}
