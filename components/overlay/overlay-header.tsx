import type { DetectedPage } from '@/lib/detect';

const KIND_LABEL: Record<DetectedPage['kind'], string> = {
  company: 'company',
  ticket: 'ticket',
  contact: 'contact',
  configuration: 'configuration',
  agreement: 'agreement',
  site: 'site',
  other: 'page',
};

/** The panel's title bar: which PSA record the page shows, and the dock and collapse buttons. */
export function OverlayHeader({
  page,
  push,
  onPush,
  dock,
  onDock,
  onCollapse,
}: {
  page: DetectedPage;
  push: boolean;
  onPush: (push: boolean) => void;
  dock: 'left' | 'right';
  onDock: (dock: 'left' | 'right') => void;
  onCollapse: () => void;
}) {
  const other = dock === 'right' ? 'left' : 'right';
  return (
    <header className="sc-header">
      <span className="sc-brand">Sidecar</span>
      <span className="sc-page" data-testid="sidecar-page">
        {KIND_LABEL[page.kind]}
        {page.id ? ` #${page.id}` : ''}
      </span>
      <button
        type="button"
        className="sc-icon"
        aria-pressed={push}
        aria-label="Push the PSA page aside"
        title={push ? 'The PSA page makes room for Sidecar; press to lay Sidecar over it instead' : 'Sidecar covers the PSA page; press to push the page aside'}
        onClick={() => onPush(!push)}
      >
        ⇹
      </button>
      <button type="button" className="sc-icon" aria-label={`Dock Sidecar on the ${other}`} onClick={() => onDock(other)}>
        ⇆
      </button>
      <button type="button" className="sc-icon" aria-label="Collapse Sidecar" onClick={onCollapse}>
        {dock === 'right' ? '⟩' : '⟨'}
      </button>
    </header>
  );
}
