import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { DetectedPage } from '@/lib/detect';
import type { Prefetch } from '@/lib/content/prefetch';
import { Overlay } from './overlay';

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, staleTime: 30_000 } } });

export function OverlayRoot({ page, prefetch }: { page: DetectedPage; prefetch?: Prefetch }) {
  return (
    <QueryClientProvider client={queryClient}>
      <Overlay page={page} prefetch={prefetch} />
    </QueryClientProvider>
  );
}
