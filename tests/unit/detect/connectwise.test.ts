import { describe, expect, it } from 'vitest';
import { connectwiseExamples, connectwiseNearMisses, detectConnectWise, isConnectWiseApiHost, isConnectWisePage } from '../../../lib/psa/connectwise/page-url';
import { parseRecordId } from '../../../lib/detect/record';
import { classifyHash, unpackState } from '../../../lib/psa/connectwise/page-hash';
import { PSA_PAGE_KINDS } from '../../../lib/detect/index';
import { detectPage } from '../../../lib/psa/pages';

describe('connectwise examples', () => {
  it('cover every form and kind the reference lists', () => {
    expect(connectwiseExamples.length).toBeGreaterThanOrEqual(40);
    const kinds = new Set(connectwiseExamples.map((e) => e.expected.kind));
    for (const kind of ['ticket', 'company', 'contact', 'configuration', 'agreement', 'other'] as const) {
      expect(kinds, kind).toContain(kind);
    }
    const urls = connectwiseExamples.map((e) => e.url.toLowerCase()).join('\n');
    for (const marker of [
      'routeto=servicefv',
      'srrecid=',
      'routeto=accountfv',
      'routeto=companyfv',
      'routeto=contactfv',
      'routeto=configfv',
      'routeto=agreementfv',
      'routeto=timeentryfv',
      'routeto=opportunityfv',
      'routeto=activityfv',
      'routeto=projectheaderfv',
      'connectwise.html',
      'openrecord.rails',
      'fv_sr100_request.rails',
      '#startscreen=sr150',
      '#startscreen=activity_detail',
      '#startscreen=sr200',
      '#startscreen=my_calendar',
      '#xqaa',
      '??serviceticket',
      'recid=0',
      'locale=en_us&locale=en-us',
      'companyname=',
      'session=new',
      'fullscreen=false',
      'usehttps=1',
      'newwindow=false',
      'http://127.0.0.1:',
      '.myconnectwise.net/',
      '.connectwise.net/',
      '.myconnectwise.com/',
      'staging.connectwisedev.com/',
      '/v4_6_release/',
    ]) {
      expect(urls, marker).toContain(marker);
    }
  });

  it.each(connectwiseExamples)('$url', ({ url, expected }) => {
    expect(detectPage(url)).toStrictEqual(expected);
    expect(detectConnectWise(new URL(url))).toStrictEqual(expected);
  });

  // github-url-detection's "NO" loop: an example of one kind/id is no other kind/id.
  it.each(connectwiseExamples)('NO: $url is nothing else', ({ url, expected }) => {
    const parsed = new URL(url);
    for (const kind of PSA_PAGE_KINDS) {
      expect(isConnectWisePage(parsed, kind), kind).toBe(kind === expected.kind);
    }
    const actual = detectPage(url);
    for (const other of connectwiseExamples) {
      if (other.expected.kind === expected.kind && other.expected.id === expected.id) continue;
      expect(actual).not.toStrictEqual(other.expected);
    }
  });

  it('only gives ids to record kinds, as canonical positive decimals', () => {
    for (const { expected } of connectwiseExamples) {
      if (expected.kind === 'other') expect(expected).not.toHaveProperty('id');
      if (expected.id !== undefined) expect(expected.id).toMatch(/^[1-9]\d*$/);
    }
  });
});

describe('connectwise near misses', () => {
  it.each(connectwiseNearMisses)('%s is not a ConnectWise page', (url) => {
    expect(detectPage(url)).toBeNull();
  });
});

describe('cloud API hosts', () => {
  it('rejects api- hosts of the cloud domains only', () => {
    expect(isConnectWiseApiHost('api-na.myconnectwise.net')).toBe(true);
    expect(isConnectWiseApiHost('API-EU.MyConnectWise.net')).toBe(true);
    expect(isConnectWiseApiHost('api-staging.connectwisedev.com')).toBe(true);
    expect(isConnectWiseApiHost('na.myconnectwise.net')).toBe(false);
    // On-prem has no api- convention; an on-prem host named like that is still just a host.
    expect(isConnectWiseApiHost('api-manage.example.com')).toBe(false);
    expect(isConnectWiseApiHost('api-na.myconnectwise.net.evil.com')).toBe(false);
  });
});

describe('record ids', () => {
  it('parses positive 32-bit decimals, flags 0, rejects the rest', () => {
    expect(parseRecordId('42')).toBe('42');
    expect(parseRecordId('0042')).toBe('42');
    expect(parseRecordId(42)).toBe('42');
    expect(parseRecordId('2147483647')).toBe('2147483647');
    expect(parseRecordId('0')).toBe(0);
    expect(parseRecordId('000')).toBe(0);
    for (const bad of ['2147483648', '-1', '1.5', '1e3', ' 1', '', 'abc', '12345678901', null, undefined, 1.5, -3]) {
      expect(parseRecordId(bad), String(bad)).toBeUndefined();
    }
  });
});

describe('hash states', () => {
  it('decodes every real and made compressed state in the examples', () => {
    const packed = connectwiseExamples
      .map((e) => new URL(e.url).hash.slice(1).split('??')[0] ?? '')
      .filter((h) => h.startsWith('XQAA') && !h.includes('notReally') && !h.includes('%'));
    expect(packed.length).toBeGreaterThanOrEqual(9);
    for (const h of packed) expect(unpackState(h), h).toBeTypeOf('object');
  });

  it('decodes a real setup-table state exactly (known-size stream, padded)', () => {
    const hash = new URL(connectwiseExamples.find((e) => e.url.startsWith('https://cwdev.meriplex.com/'))!.url).hash;
    expect(unpackState(hash.slice(1))).toStrictEqual({
      pid: 6,
      p: 'setup_tables',
      s: {
        p: {
          i: 1,
          pid: 20,
          p_0: { ml: '0.19636463161212103', pid: 21 },
          p_1: { i: 0, pid: 26, p_0: { ml: '0.5950276427749568', pid: 27 }, p_1: { rd: 0, pid: 28 } },
          st: 'Company Type',
        },
      },
      rnd: 0.5924456620051801,
    });
  });

  it('reads the screen from a decoded state before the ?? label', () => {
    const calendar = connectwiseExamples.find((e) => e.url.includes('??CalendarSchedule'))!;
    const packed = new URL(calendar.url).hash.slice(1).split('??')[0]!;
    expect(unpackState(packed)).toMatchObject({ p: 'my_calendar' });
    // A list screen's state wins over a record-looking label.
    expect(classifyHash(`#${packed}??ServiceTicket`)).toStrictEqual({ kind: 'other' });
  });

  it('ignores hashes that carry no state', () => {
    for (const hash of ['', '#', '#top', '#/some/route', '#XQAA', '#%E2%80%A6']) {
      expect(classifyHash(hash), hash).toBeUndefined();
    }
  });

  it('treats a broken startscreen state as an unknown screen', () => {
    expect(classifyHash('#startscreen=sr150&state={"p":')).toStrictEqual({ kind: 'other' });
    expect(classifyHash('#startscreen=sr100')).toStrictEqual({ kind: 'ticket' });
    expect(classifyHash('#STARTSCREEN=sr100&STATE={"s":{"p":{"rd":"77"}}}')).toStrictEqual({ kind: 'ticket', id: '77' });
  });

  it('refuses oversized packed states without decoding them', () => {
    const huge = `#${'XQAA'.repeat(5000)}??ServiceTicket`;
    expect(classifyHash(huge)).toStrictEqual({ kind: 'ticket' });
  });
});
