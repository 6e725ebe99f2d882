import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { DetectedPage } from '@/lib/detect';
import type { HostLink } from '@/lib/overlay-frame/host-link';
import { Overlay } from './overlay';

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, staleTime: 30_000 } } });

/** The overlay frame's app: whatever record the host says the PSA page shows, or nothing. */
export function OverlayRoot({ link }: { link: HostLink }) {
  const [page, setPage] = useState<DetectedPage | null>(null);
  useEffect(() => link.onPage(setPage), [link]);
  return <QueryClientProvider client={queryClient}>{page ? <Overlay page={page} link={link} /> : null}</QueryClientProvider>;
}
