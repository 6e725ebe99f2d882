import { useQuery } from '@tanstack/react-query';
import { getDb, type IntegrationRow } from '@/lib/db/schema';
import { latestRun } from '@/lib/db/queries';
import { importedFacts } from '@/lib/layouts/imported-facts';
import { queryKeys } from '@/components/ui/query-keys';
import { useLive } from '@/components/ui/use-live';

/**
 * Types and PSA fields seen in the imported records: read again when a sync (or a one-company
 * import) ends, not on each page a sync writes.
 */
export function useImportedFacts(integration: IntegrationRow) {
  const run = useLive(queryKeys.latestRun(integration.id), () => latestRun(getDb(), integration.id));
  const syncedAt = run.data?.finishedAt ?? integration.lastSyncAt ?? 0;
  return useQuery({
    queryKey: queryKeys.importedFacts(integration.id, syncedAt),
    queryFn: () => importedFacts(getDb(), integration.id),
    staleTime: Infinity,
    placeholderData: (previous) => previous,
  });
}
