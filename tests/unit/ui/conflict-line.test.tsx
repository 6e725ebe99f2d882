import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { parseHTML } from 'linkedom';
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConflictLine, keptAt } from '@/components/ui/conflict-line';
import { NotesPanel } from '@/components/space/notes-panel';
import { ArticlesPanel } from '@/components/space/articles-panel';
import { NotesSection } from '@/components/overlay/notes-section';
import type { HostLink } from '@/lib/overlay-frame/host-link';

/**
 * The line a document edited on two computers at once shows (lib/documents/conflicts.ts marks it):
 * who wrote the other edit and when, kept in History; text only, whatever the name holds.
 */

const NOW = new Date(2026, 11, 7, 12, 0).getTime();
const at = (hours: number, minutes: number, day = 7) => new Date(2026, 11, day, hours, minutes).getTime();
const text = (markup: string) => parseHTML(`<!doctype html><html><body>${markup}</body></html>`).document.body.textContent;

describe('ConflictLine', () => {
  it('names the other edit’s author and time, and where it is kept', () => {
    const markup = renderToStaticMarkup(<ConflictLine kept={[{ by: 'Dana', at: at(10, 42) }]} now={NOW} />);
    expect(text(markup)).toBe(`Edited on two computers at once — Dana’s version of ${keptAt(at(10, 42), NOW)} is kept in History.`);
    expect(keptAt(at(10, 42), NOW)).toMatch(/10.42/);
    expect(markup).toContain('role="note"');
    expect(markup).toContain(`<time dateTime="${new Date(at(10, 42)).toISOString()}">`);
  });

  it('lists several edits, and gives the day of one from another day', () => {
    const kept = [
      { by: 'Dana', at: at(10, 42) },
      { by: 'Sam', at: at(9, 5, 3) },
      { by: 'Lee', at: at(11, 0) },
    ];
    expect(text(renderToStaticMarkup(<ConflictLine kept={kept} now={NOW} />))).toBe(
      `Edited on several computers at once — Dana’s version of ${keptAt(kept[0]!.at, NOW)}, Sam’s version of ${keptAt(kept[1]!.at, NOW)} and Lee’s version of ${keptAt(kept[2]!.at, NOW)} are kept in History.`,
    );
    expect(keptAt(at(9, 5, 3), NOW)).toMatch(/3/);
    expect(keptAt(at(9, 5, 3), NOW)).not.toBe(keptAt(at(9, 5), NOW));
  });

  it('renders nothing for a document without the mark', () => {
    expect(renderToStaticMarkup(<ConflictLine kept={undefined} />)).toBe('');
    expect(renderToStaticMarkup(<ConflictLine kept={[]} />)).toBe('');
  });

  it('shows a name as text, never as markup', () => {
    const markup = renderToStaticMarkup(<ConflictLine kept={[{ by: '<img src=x onerror=alert(1)>', at: NOW }]} now={NOW} />);
    expect(markup).not.toContain('<img');
    expect(text(markup)).toContain('<img src=x onerror=alert(1)>’s version of');
  });
});

describe('where notes are shown', () => {
  const { window } = parseHTML('<!doctype html><html><body><div id="root"></div></body></html>');
  let root: Root;
  beforeEach(() => {
    vi.stubGlobal('window', window);
    vi.stubGlobal('document', window.document);
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
    root = createRoot(window.document.getElementById('root') as unknown as Element);
  });
  afterEach(async () => {
    await act(() => root.unmount());
    vi.unstubAllGlobals();
  });
  const render = (node: ReactNode) =>
    act(() => root.render(<QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>{node}</QueryClientProvider>));
  const line = () => window.document.querySelector('[data-testid="conflict-line"]');

  it('the client-space page: the line under a marked note, its “History” opening the note’s history', async () => {
    const note = { id: 'note:1', rev: '3-a', text: 'Reboot on Sundays', by: 'Sam', at: NOW, createdBy: 'Dana', conflictKept: [{ by: 'Dana', at: at(10, 42) }] };
    await render(<NotesPanel spaceId="space-1" notes={[note, { ...note, id: 'note:2', conflictKept: undefined }]} />);
    expect(window.document.querySelectorAll('[data-testid="conflict-line"]')).toHaveLength(1);
    expect(line()?.textContent).toContain('Dana’s version of');
    const historyToggle = [...window.document.querySelectorAll('button')].find(
      (button) => button.textContent === 'History' && button.hasAttribute('aria-expanded'),
    )!;
    expect(historyToggle.getAttribute('aria-expanded')).toBe('false');
    await act(async () =>
      line()!
        .querySelector('button')!
        .dispatchEvent(new window.Event('click', { bubbles: true })),
    );
    expect(historyToggle.getAttribute('aria-expanded')).toBe('true');
  });

  it('the client-space page: the line on an open marked article, its “History” opening the article’s history', async () => {
    const article = { id: 'article:1', rev: '4-b', spaceId: 'space-1', title: 'Backups', body: 'Checked daily.', by: 'Sam', at: NOW };
    await render(
      <ArticlesPanel spaceId="space-1" articles={[{ ...article, conflictKept: [{ by: 'Dana', at: at(10, 42) }] }]} globalArticles={[]} openId="article:1" />,
    );
    expect(line()?.textContent).toContain('Dana’s version of');
    await act(async () =>
      line()!
        .querySelector('button')!
        .dispatchEvent(new window.Event('click', { bubbles: true })),
    );
    const historyToggle = [...window.document.querySelectorAll('button')].find(
      (button) => button.textContent === 'History' && button.hasAttribute('aria-expanded'),
    )!;
    expect(historyToggle.getAttribute('aria-expanded')).toBe('true');
  });

  it('the overlay: the line under a marked note, pointing to Sidecar’s history (opened by a person’s click only)', async () => {
    const request = vi.fn(async () => ({ opened: true }));
    const link = { request } as unknown as HostLink;
    const note = { id: 'note:1', rev: '3-a', text: 'Reboot on Sundays', by: 'Sam', at: NOW, conflictKept: [{ by: 'Dana', at: at(10, 42) }] };
    await render(<NotesSection notes={[note]} now={NOW} companyRemoteId="1" link={link} />);
    expect(line()?.textContent).toBe(`Edited on two computers at once — Dana’s version of ${keptAt(at(10, 42), NOW)} is kept in Sidecar’s history.`);
    // A script's click is not a person's: nothing opens.
    await act(async () =>
      line()!
        .querySelector('button')!
        .dispatchEvent(new window.Event('click', { bubbles: true })),
    );
    expect(request).not.toHaveBeenCalled();
  });
});
