import type { EntityKind } from '../psa/types';

/**
 * What a sync, a rule change or an option change would do, computed without writing anything:
 * shown to the user, who applies or cancels. Here, below sync and layouts, because a preview run
 * stores it (RunRow.preview) and both the sync and the layouts (re-sorting) build one.
 */
export type ChangeKind = 'create' | 'update' | 'move' | 'archive';

export interface PreviewSample {
  entity: EntityKind;
  name: string;
  change: ChangeKind;
  /** e.g. "Configurations → Firewalls" for a move. */
  detail?: string;
}

export interface ChangePreview {
  counts: Record<ChangeKind, number>;
  /** The first changes, for the user to see what they are. */
  samples: PreviewSample[];
  /** Consequences that are not record changes (e.g. a full re-read on the next sync). */
  notes: string[];
}

export const MAX_PREVIEW_SAMPLES = 50;

export const emptyPreview = (): ChangePreview => ({ counts: { create: 0, update: 0, move: 0, archive: 0 }, samples: [], notes: [] });

/** Counts one change and keeps it as a sample while there is room. */
export function addChange(preview: ChangePreview, sample: PreviewSample): void {
  preview.counts[sample.change] += 1;
  if (preview.samples.length < MAX_PREVIEW_SAMPLES) preview.samples.push(sample);
}

export const recordName = (data: { name?: string; remoteId: string }) => data.name ?? data.remoteId;
