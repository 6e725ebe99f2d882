import { vi } from 'vitest';

// webextension-polyfill then wraps the fake `chrome`, turning Promise replies into
// sendResponse as real Chrome does (toolchain.md P12).
vi.stubGlobal('browser', undefined);
