import { useRef } from 'react';
import { clampWidth, MAX_WIDTH, MIN_WIDTH } from '@/lib/content/overlay-prefs';

/**
 * The panel's inner edge: drag it, or focus it and use the arrow keys, to change the width.
 * Dragging reads screen coordinates: the frame itself moves and resizes under the pointer.
 */
export function ResizeHandle({
  width,
  dock,
  onResize,
  onDone,
}: {
  width: number;
  dock: 'left' | 'right';
  onResize: (width: number) => void;
  onDone: (width: number) => void;
}) {
  const drag = useRef<{ screenX: number; width: number } | null>(null);
  const fromPointer = (screenX: number) => {
    const start = drag.current!;
    return clampWidth(start.width + (dock === 'right' ? start.screenX - screenX : screenX - start.screenX));
  };
  return (
    <div
      className="sc-resize"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize Sidecar"
      aria-valuemin={MIN_WIDTH}
      aria-valuemax={MAX_WIDTH}
      aria-valuenow={width}
      tabIndex={0}
      data-testid="sidecar-resize"
      onPointerDown={(event) => {
        drag.current = { screenX: event.screenX, width };
        event.currentTarget.setPointerCapture(event.pointerId);
      }}
      onPointerMove={(event) => {
        if (drag.current && event.currentTarget.hasPointerCapture(event.pointerId)) onResize(fromPointer(event.screenX));
      }}
      onPointerUp={(event) => {
        if (!drag.current || !event.currentTarget.hasPointerCapture(event.pointerId)) return;
        event.currentTarget.releasePointerCapture(event.pointerId);
        onDone(fromPointer(event.screenX));
        drag.current = null;
      }}
      onKeyDown={(event) => {
        const grow = dock === 'right' ? 'ArrowLeft' : 'ArrowRight';
        const shrink = dock === 'right' ? 'ArrowRight' : 'ArrowLeft';
        if (event.key !== grow && event.key !== shrink) return;
        event.preventDefault();
        onDone(clampWidth(width + (event.key === grow ? 20 : -20)));
      }}
    />
  );
}
