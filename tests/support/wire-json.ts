/**
 * An emulator's JSON answer as the emulator tests read it: by path, straight into `expect`. The
 * assertions are what check its shape, so typing every answer would only restate the emulator.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: the assertions type these answers
export type WireJson = any;
