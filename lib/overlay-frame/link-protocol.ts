import type { DetectedPage } from '../detect';
import type { ChannelName } from '../messaging/protocol';

/**
 * The private line between the overlay's host (in the PSA tab's isolated world) and the overlay
 * frame (an extension page inside the host's closed shadow root). The page's own scripts can
 * neither read the frame (another origin) nor hear this line: it is a MessagePort handed to the
 * frame once, with a secret the host registered with the background and the frame asked the
 * background for (never in a URL: the page can re-navigate the frame to an address of its own).
 */

/**
 * A window narrower than this starts with the overlay collapsed: the PSA page needs the room
 * (#18). Here, not with the preferences: the content script may not carry their schema (zod).
 */
export const NARROW_WINDOW_PX = 1100;

/** The file the host frames, relative to the extension's root. */
export const OVERLAY_FRAME_FILE = '/overlay-frame.html';

/** The one message the host posts to the frame's window, carrying the port. */
export interface ConnectMessage {
  sidecar: 'connect';
  secret: string;
}

/** The background channels the frame may have the host ask for it: the content script's own. */
export const RELAYED_CHANNELS = [
  'overlay.forPage',
  'overlay.refresh',
  'overlay.match',
  'overlay.openOptions',
  'overlay.openSpace',
  'overlay.note.save',
  'overlay.field.save',
  'overlay.credential.copy',
  'overlay.ticket.form',
  'overlay.ticket.preview',
  'overlay.ticket.create',
] as const satisfies readonly ChannelName[];
export type RelayedChannel = (typeof RELAYED_CHANNELS)[number];

/** Where the frame sits and how large it is; the host sizes the iframe to it. */
export interface FrameLayout {
  dock: 'left' | 'right';
  collapsed: boolean;
  width: number;
  /** The PSA page is narrowed by the panel's width instead of covered (the host sets its root's margin). */
  push?: boolean;
}

/**
 * The technician's keyboard shortcut into the overlay, pressed on the PSA page (Alt+Shift+S,
 * "Sidecar"): the host moves focus into the frame and says `focus`. Only a trusted key press
 * counts, so the page's scripts cannot pull focus into it.
 */
export const FOCUS_SHORTCUT = { altKey: true, shiftKey: true, code: 'KeyS' } as const;
export const FOCUS_SHORTCUT_LABEL = 'Alt+Shift+S';

/**
 * `page: null`: the PSA page shows no record (the frame draws nothing, the host hides it);
 * `narrow`: the PSA tab's window is narrow (the overlay starts collapsed there).
 * `focus`: the technician pressed the shortcut; the frame opens if collapsed and focuses its search.
 */
export type HostToFrame = { type: 'page'; page: DetectedPage | null; narrow?: boolean } | { type: 'reply'; id: number; reply: unknown } | { type: 'focus' };

/** `leave`: Escape in the frame; the host gives focus back to where it was on the PSA page. */
export type FrameToHost =
  { type: 'request'; id: number; channel: RelayedChannel; payload: unknown } | { type: 'layout'; layout: FrameLayout } | { type: 'leave' };
