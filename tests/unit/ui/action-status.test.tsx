import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { HandledError } from '@/lib/errors';
import { RequestError } from '@/lib/messaging/client';
import { errorText, fieldErrorsOf, statusOf } from '@/components/ui/action-status';
import { StatusMessage } from '@/components/ui/status-message';

describe('errorText', () => {
  it('reads an Error’s message, and anything else as a string', () => {
    expect(errorText(new RequestError('invalid', 'The URL is not valid.'))).toBe('The URL is not valid.');
    expect(errorText(new Error('boom'))).toBe('boom');
    expect(errorText('plain')).toBe('plain');
    expect(errorText(42)).toBe('42');
  });
});

describe('fieldErrorsOf', () => {
  it('returns the per-field messages of a refused request or a HandledError, and none otherwise', () => {
    expect(fieldErrorsOf(new RequestError('invalid', 'Some fields need attention.', { url: 'Enter a URL.' }))).toEqual({ url: 'Enter a URL.' });
    expect(fieldErrorsOf(new HandledError('invalid', 'No.', { name: 'Taken.' }))).toEqual({ name: 'Taken.' });
    expect(fieldErrorsOf(new HandledError('invalid', 'No.'))).toEqual({});
    expect(fieldErrorsOf(new Error('boom'))).toEqual({});
    expect(fieldErrorsOf(undefined)).toEqual({});
  });
});

describe('statusOf', () => {
  const words = {
    success: (data: { count: number }, vars: string) => (data.count ? `${vars}: ${data.count} saved.` : undefined),
    failed: (data: { count: number; failure?: string }) => data.failure,
  };
  it('says nothing while idle or pending (a new run clears the last outcome)', () => {
    expect(statusOf({ status: 'idle', data: undefined, error: null, variables: undefined }, words)).toBeUndefined();
    expect(statusOf({ status: 'pending', data: undefined, error: null, variables: 'Rules' }, words)).toBeUndefined();
  });
  it('words a success from the result and what was asked, or says nothing', () => {
    expect(statusOf({ status: 'success', data: { count: 2 }, error: null, variables: 'Rules' }, words)).toEqual({ kind: 'ok', text: 'Rules: 2 saved.' });
    expect(statusOf({ status: 'success', data: { count: 0 }, error: null, variables: 'Rules' }, words)).toBeUndefined();
    expect(statusOf({ status: 'success', data: { count: 1 }, error: null, variables: 'Rules' }, {})).toBeUndefined();
  });
  it('shows a failure the background answered with before any success', () => {
    expect(statusOf({ status: 'success', data: { count: 2, failure: 'PSA down.' }, error: null, variables: 'Rules' }, words)).toEqual({
      kind: 'error',
      text: 'PSA down.',
    });
  });
  it('formats a thrown error', () => {
    expect(statusOf({ status: 'error', data: undefined, error: new RequestError('locked', 'Sidecar is locked.'), variables: 'Rules' }, words)).toEqual({
      kind: 'error',
      text: 'Sidecar is locked.',
    });
  });
});

describe('StatusMessage', () => {
  it('renders nothing without a status', () => {
    expect(renderToStaticMarkup(<StatusMessage status={undefined} testId="x" />)).toBe('');
  });
  it('renders the options pages’ line: the kind as class, role="status", the test id', () => {
    expect(renderToStaticMarkup(<StatusMessage status={{ kind: 'ok', text: 'Saved.' }} testId="layouts-message" />)).toBe(
      '<p class="ok" role="status" data-testid="layouts-message">Saved.</p>',
    );
    expect(renderToStaticMarkup(<StatusMessage status={{ kind: 'busy', text: 'Saving…' }} testId="connection-result" />)).toBe(
      '<p class="muted" role="status" data-testid="connection-result">Saving…</p>',
    );
  });
  it('renders the overlay’s alert, inline after its button when asked', () => {
    expect(renderToStaticMarkup(<StatusMessage status={{ kind: 'error', text: 'PSA down.' }} role="alert" className="sc-error" as="span" />)).toBe(
      '<span class="sc-error" role="alert"> PSA down.</span>',
    );
  });
  it('escapes the text (never HTML)', () => {
    expect(renderToStaticMarkup(<StatusMessage status={{ kind: 'error', text: '<b>x</b>' }} />)).toBe(
      '<p class="error" role="status">&lt;b&gt;x&lt;/b&gt;</p>',
    );
  });
});
