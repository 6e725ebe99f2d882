import { useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { liveQuery } from 'dexie';
import { useEffect, useRef } from 'react';

/**
 * The live value of one key, as this hook's subscription last delivered it, and the fetches
 * waiting for the first one.
 */
interface LiveFeed<T> {
  key: string;
  value?: { current: T };
  failed?: boolean;
  waiting: { resolve: (value: T) => void; reject: (error: unknown) => void }[];
}

/**
 * A TanStack query fed by a Dexie liveQuery: the UI re-renders when the background writes
 * (Dexie broadcasts changes between contexts of the extension origin).
 *
 * The subscription is the only reader of the database: the query's fetch waits for its first
 * value (and later returns the latest one), instead of reading the same rows a second time.
 */
export function useLive<T>(key: readonly unknown[], query: () => Promise<T>): UseQueryResult<T> {
  const client = useQueryClient();
  const keyString = JSON.stringify(key);
  const feed = useRef<LiveFeed<T>>({ key: keyString, waiting: [] });
  if (feed.current.key !== keyString) feed.current = { key: keyString, waiting: [] };
  const current = feed.current;

  useEffect(() => {
    const subscription = liveQuery(query).subscribe({
      next: (value) => {
        current.value = { current: value };
        current.failed = false;
        for (const waiter of current.waiting.splice(0)) waiter.resolve(value);
        client.setQueryData(key, value);
      },
      error: (error: unknown) => {
        // The fetch reads the database itself from now on (and TanStack retries it).
        current.failed = true;
        current.value = undefined;
        for (const waiter of current.waiting.splice(0)) waiter.reject(error);
        void client.invalidateQueries({ queryKey: key });
      },
    });
    return () => {
      subscription.unsubscribe();
      // A fetch this subscription was to answer may still have observers (another component with
      // this key): it reads the database itself rather than wait for a value that will not come.
      for (const waiter of current.waiting.splice(0)) query().then(waiter.resolve, waiter.reject);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the key identifies the query; `query` is a new closure each render
  }, [keyString, client]);

  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) => {
      if (current.value) return current.value.current;
      if (current.failed) return query();
      return new Promise<T>((resolve, reject) => {
        const waiter = { resolve, reject };
        current.waiting.push(waiter);
        // Reading the signal lets TanStack cancel this fetch when its last observer goes (unmount):
        // a fetch left waiting would keep the query "fetching" for the next component with this key.
        signal.addEventListener('abort', () => {
          current.waiting = current.waiting.filter((other) => other !== waiter);
          reject(signal.reason);
        });
      });
    },
  });
}
