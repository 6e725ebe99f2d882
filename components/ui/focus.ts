/**
 * Moves keyboard focus to an element that a change is about to draw (a new integration's card,
 * a panel opened by a button), and brings it into view. Focus never falls to the page's body
 * while the element is on its way; `timeoutMs` later it gives up and leaves focus where it is.
 */
export function focusWhenShown(selector: string, timeoutMs = 5_000, doc: Document = document): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const attempt = () => {
      const element = doc.querySelector<HTMLElement>(selector);
      if (element) {
        element.focus();
        element.scrollIntoView({ block: 'nearest' });
        resolve(doc.activeElement === element);
        return;
      }
      if (Date.now() >= deadline) resolve(false);
      else setTimeout(attempt, 50);
    };
    attempt();
  });
}
