import { vi } from 'vitest';

// webextension-polyfill then wraps the fake `chrome`, turning Promise replies into
// sendResponse as real Chrome does (docs/architecture-notes.md#message-replies-in-unit-tests).
vi.stubGlobal('browser', undefined);
