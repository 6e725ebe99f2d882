import { useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { liveQuery } from 'dexie';
import { useEffect } from 'react';

/**
 * A TanStack query fed by a Dexie liveQuery: the UI re-renders when the background writes
 * (Dexie broadcasts changes between contexts of the extension origin).
 */
export function useLive<T>(key: readonly unknown[], query: () => Promise<T>): UseQueryResult<T> {
  const client = useQueryClient();
  const keyString = JSON.stringify(key);
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({
      next: (value) => client.setQueryData(key, value),
      error: () => void client.invalidateQueries({ queryKey: key }),
    });
    return () => subscription.unsubscribe();
    // The key identifies the query; `query` is a new closure each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [keyString, client]);
  return useQuery({ queryKey: key, queryFn: query });
}
