import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import Dexie from 'dexie';
import { parseHTML } from 'linkedom';
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestError } from '@/lib/messaging/client';
import { useAction, type Action } from '@/components/ui/use-action';
import { useLive } from '@/components/ui/use-live';
import { useLiveRecords } from '@/components/ui/use-live-records';
import { SidecarDb } from '@/lib/db/schema';
import type { EntityKind } from '@/lib/psa/types';
import { recordRow } from '../../support/record-rows';

// React renders into linkedom's document: enough for hooks, no browser needed.
const { window } = parseHTML('<!doctype html><html><body><div id="root"></div></body></html>');
vi.stubGlobal('window', window);
vi.stubGlobal('document', window.document);
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root;
let client: QueryClient;
beforeEach(() => {
  client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  root = createRoot(window.document.getElementById('root') as unknown as Element);
});
afterEach(() => act(() => root.unmount()));

const render = (node: ReactNode) => act(() => root.render(<QueryClientProvider client={client}>{node}</QueryClientProvider>));
/** Lets promises, TanStack's batched notifications (a timeout) and React updates settle. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 20)));

describe('useAction', () => {
  type Work = { answer?: { moved: number }; error?: unknown };
  let action: Action<Work>;
  let resolveWork: (() => void) | undefined;
  const onSuccess = vi.fn();
  function Probe() {
    action = useAction(
      (work: Work) =>
        new Promise<{ moved: number }>((resolve, reject) => {
          resolveWork = () => (work.error ? reject(work.error) : resolve(work.answer!));
        }),
      { success: ({ moved }) => `${moved} re-sorted.`, onSuccess },
    );
    return null;
  }

  it('is pending while it runs, then says its success', async () => {
    await render(<Probe />);
    let done: Promise<boolean> | undefined;
    await act(async () => {
      done = action.run({ answer: { moved: 3 } });
    });
    await settle();
    expect(action.isPending).toBe(true);
    expect(action.status).toBeUndefined();
    await act(async () => resolveWork!());
    await settle();
    expect(await done).toBe(true);
    expect(action.isPending).toBe(false);
    expect(action.status).toEqual({ kind: 'ok', text: '3 re-sorted.' });
    expect(onSuccess).toHaveBeenCalledWith({ moved: 3 }, { answer: { moved: 3 } });
  });

  it('shows a refused request’s message and field errors, and a new run clears them', async () => {
    await render(<Probe />);
    let done: Promise<boolean> | undefined;
    await act(async () => {
      done = action.run({ error: new RequestError('invalid', 'Some fields need attention.', { url: 'Enter a URL.' }) });
    });
    await act(async () => resolveWork!());
    await settle();
    expect(await done).toBe(false);
    expect(action.status).toEqual({ kind: 'error', text: 'Some fields need attention.' });
    expect(action.fieldErrors).toEqual({ url: 'Enter a URL.' });
    await act(async () => {
      void action.run({ answer: { moved: 0 } });
    });
    await settle();
    expect(action.isPending).toBe(true);
    expect(action.status).toBeUndefined();
    expect(action.fieldErrors).toEqual({});
  });

  it('shows a local refusal; without a sentence it keeps the message shown', async () => {
    await render(<Probe />);
    await act(async () => action.refuse('Enter a number.', { share: 'Too high.' }));
    expect(action.status).toEqual({ kind: 'error', text: 'Enter a number.' });
    expect(action.fieldErrors).toEqual({ share: 'Too high.' });
    await act(async () => action.refuse(undefined, { confirm: 'The two passphrases differ.' }));
    expect(action.status).toEqual({ kind: 'error', text: 'Enter a number.' });
    expect(action.fieldErrors).toEqual({ confirm: 'The two passphrases differ.' });
    await act(async () => action.reset());
    expect(action.status).toBeUndefined();
  });
});

describe('useLive', () => {
  class Db extends Dexie {
    items!: Dexie.Table<{ id: string; n: number }, string>;
    constructor() {
      super(`use-live-${crypto.randomUUID()}`);
      this.version(1).stores({ items: 'id' });
    }
  }

  it('reads the database once on mount, then again only when it changes', async () => {
    const db = new Db();
    await db.items.put({ id: 'a', n: 1 });
    const read = vi.fn(() => db.items.toArray());
    let seen: { id: string; n: number }[] | undefined;
    function Probe() {
      seen = useLive(['items'], read).data;
      return null;
    }
    await render(<Probe />);
    await settle();
    expect(seen).toEqual([{ id: 'a', n: 1 }]);
    expect(read).toHaveBeenCalledTimes(1);

    await act(() => db.items.put({ id: 'b', n: 2 }));
    await settle();
    expect(seen).toEqual([
      { id: 'a', n: 1 },
      { id: 'b', n: 2 },
    ]);
    expect(read).toHaveBeenCalledTimes(2);

    // A refetch (window focus, invalidation) answers with the live value, without reading.
    await act(() => client.refetchQueries({ queryKey: ['items'] }));
    expect(read).toHaveBeenCalledTimes(2);
    expect(client.getQueryState(['items'])?.fetchStatus).toBe('idle');
    db.close();
  });

  it('leaves no fetch waiting when it unmounts before the first value', async () => {
    const db = new Db();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const read = vi.fn(async () => {
      await gate;
      return db.items.toArray();
    });
    function Probe() {
      useLive(['slow'], read);
      return null;
    }
    await render(<Probe />);
    expect(client.getQueryState(['slow'])?.fetchStatus).toBe('fetching');
    await render(null);
    await settle();
    expect(client.getQueryState(['slow'])?.fetchStatus).toBe('idle');
    release();
    db.close();
  });

  it('settles the fetch of a component that unmounts first while another with the same key stays', async () => {
    const db = new Db();
    await db.items.put({ id: 'a', n: 1 });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let slowFirst = true;
    const read = vi.fn(async () => {
      // Only the first subscription's first read is held back.
      if (slowFirst) {
        slowFirst = false;
        await gate;
      }
      return db.items.toArray();
    });
    let seen: { id: string; n: number }[] | undefined;
    function Staying() {
      seen = useLive(['shared'], read).data;
      return null;
    }
    function Leaving() {
      useLive(['shared'], read);
      return null;
    }
    // Both mount; the first starts the query's fetch and goes before its subscription delivers,
    // while the other stays: the fetch must not stay waiting on a subscription that is gone.
    await render(
      <>
        <Leaving key="leaving" />
        <Staying key="staying" />
      </>,
    );
    expect(client.getQueryState(['shared'])?.fetchStatus).toBe('fetching');
    await render(
      <>
        <Staying key="staying" />
      </>,
    );
    await settle();
    release();
    await settle();
    expect(seen).toEqual([{ id: 'a', n: 1 }]);
    expect(client.getQueryState(['shared'])?.fetchStatus).toBe('idle');
    db.close();
  });
});

describe('useLiveRecords', () => {
  const row = (entity: EntityKind, remoteId: string) => recordRow('cw', entity, remoteId);

  it('reads companies again when companies change, not when a sync writes a page of contacts', async () => {
    const db = new SidecarDb(`use-live-records-${crypto.randomUUID()}`);
    await db.records.put(row('company', '1'));
    const read = vi.fn(() =>
      db.records.where('[integrationId+entity+sortName]').between(['cw', 'company', Dexie.minKey], ['cw', 'company', Dexie.maxKey]).toArray(),
    );
    let names: string[] | undefined;
    function Probe() {
      names = useLiveRecords(db, ['companies'], { integrationId: 'cw', entities: ['company'] }, read).data?.map((company) => company.sortName);
      return null;
    }
    await render(<Probe />);
    await settle();
    expect(names).toEqual(['company 1']);
    expect(read).toHaveBeenCalledTimes(1);

    // A page of 100 contacts: Dexie marks the whole records table changed; the companies are not read again.
    await act(() => db.records.bulkPut(Array.from({ length: 100 }, (_, index) => row('contact', String(index)))));
    await settle();
    expect(read).toHaveBeenCalledTimes(1);

    await act(() => db.records.put(row('company', '2')));
    await settle();
    expect(names).toEqual(['company 1', 'company 2']);
    expect(read).toHaveBeenCalledTimes(2);
    db.close();
    await Dexie.delete(db.name);
  });
});
