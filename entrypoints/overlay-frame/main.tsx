import { createRoot } from 'react-dom/client';
import { OverlayRoot } from '@/components/overlay/overlay-root';
import { connectToHost } from '@/lib/overlay-frame/host-link';
import '@/components/overlay/overlay.css';

// The overlay, framed by the PSA tab's content script (lib/content/overlay-mount.ts): drawn only
// once the host has handed over its private line.
// Marks on the frame's own clock, read by the bench (tests/bench/browser-measures.ts): where the first paint's time goes.
performance.mark('sidecar:frame-script');
void connectToHost().then(
  (link) => {
    performance.mark('sidecar:frame-linked');
    createRoot(document.getElementById('root')!).render(<OverlayRoot link={link} />);
  },
  (error: unknown) => {
    document.body.textContent = error instanceof Error ? error.message : String(error);
  },
);
