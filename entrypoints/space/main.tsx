import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createRoot } from 'react-dom/client';
import { SpaceApp } from '@/components/space/space-app';
import '@/components/ui/page.css';
import '@/components/space/space.css';

createRoot(document.getElementById('root')!).render(
  <QueryClientProvider client={new QueryClient()}>
    <SpaceApp />
  </QueryClientProvider>,
);
