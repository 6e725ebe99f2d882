import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createRoot } from 'react-dom/client';
import { PopupApp } from '@/components/popup/popup-app';
import '@/components/ui/page.css';
import '@/components/popup/popup.css';

createRoot(document.getElementById('root')!).render(
  <QueryClientProvider client={new QueryClient()}>
    <PopupApp />
  </QueryClientProvider>,
);
