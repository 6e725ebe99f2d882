import type { CSSProperties } from 'react';
import type { ActionStatus } from './action-status';

/** The page's class for each kind of status (page.css): a running step reads muted. */
const KIND_CLASS: Record<ActionStatus['kind'], string> = { ok: 'ok', error: 'error', busy: 'muted' };

/**
 * The outcome of an action, or nothing. Options and popup announce every outcome politely
 * (role="status"); the overlay shows only failures and announces them at once (role="alert").
 */
export function StatusMessage({
  status,
  testId,
  role = 'status',
  className,
  as: Tag = 'p',
  style,
}: {
  status: ActionStatus | undefined;
  testId?: string;
  role?: 'status' | 'alert';
  /** Replaces the kind's class (the overlay has its own stylesheet). */
  className?: string;
  /** A span sits inline, after the button it reports on. */
  as?: 'p' | 'span';
  style?: CSSProperties;
}) {
  if (!status) return null;
  return (
    <Tag className={className ?? KIND_CLASS[status.kind]} role={role} data-testid={testId} style={style}>
      {Tag === 'span' ? ' ' : null}
      {status.text}
    </Tag>
  );
}
