import { describe, expect, it } from 'vitest';
import { hostPattern } from '@/lib/host-pattern';

describe('hostPattern', () => {
  it('keeps scheme and host and leaves the port out (Firefox never matches a pattern with a port)', () => {
    expect(hostPattern('http://127.0.0.1:35935')).toBe('http://127.0.0.1/*');
    expect(hostPattern('https://manage.example.com:8443')).toBe('https://manage.example.com/*');
    expect(hostPattern('https://na.myconnectwise.net')).toBe('https://na.myconnectwise.net/*');
    expect(hostPattern('http://[::1]:8080')).toBe('http://[::1]/*');
  });
});
