// Over 300 lines on purpose: every example URL of every PSA through every detector, and the refusals.
import { describe, expect, it } from 'vitest';
import { PSA_KINDS, type PsaKind } from '../../../lib/psa/types';
import { connectwiseExamples, connectwiseNearMisses } from '../../../lib/psa/connectwise/page-url';
import { haloExamples, haloNearMisses } from '../../../lib/psa/halo/page-url';
import { kaseyaBmsExamples, kaseyaBmsNearMisses } from '../../../lib/psa/kaseya-bms/page-url';
import { PSA_PAGE_KINDS, type DetectContext, type DetectedPage } from '../../../lib/detect/index';
import { detectorFor, detectPage } from '../../../lib/psa/pages';
import type { DetectorExample, PageDetector, PageKind } from '../../../lib/detect/types';

const row = (psa: PsaKind, examples: readonly DetectorExample[]) => {
  const detect = detectorFor(psa);
  return { detect, is: (url: URL, kind: PageKind) => detect(url)?.kind === kind, examples };
};

// One row per PSA detector.
const detectors: Record<
  PsaKind,
  {
    detect: PageDetector;
    is: (url: URL, kind: PageKind) => boolean;
    examples: readonly DetectorExample[];
  }
> = {
  connectwise: row('connectwise', connectwiseExamples),
  halo: row('halo', haloExamples),
  'kaseya-bms': row('kaseya-bms', kaseyaBmsExamples),
};
const allExamples = Object.values(detectors).flatMap((d) => d.examples);

/** Near misses for every detector: none of these is a PSA UI page. */
const urlsThatDontMatch: readonly string[] = [
  ...connectwiseNearMisses,
  ...haloNearMisses,
  ...kaseyaBmsNearMisses,
  'about:blank',
  'about:newtab',
  'chrome://extensions/',
  'chrome-extension://abcdefghijklmnopabcdefghijklmnop/options.html',
  'data:text/html,<a href="https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?routeTo=ServiceFV&recid=1">x</a>',
  'data:text/html,<a href="https://acme.halopsa.com/tickets?id=1">x</a>',
  'javascript:alert(1)',
  'blob:https://na.myconnectwise.net/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
  'blob:https://acme.halopsa.com/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
  'https://example.com/',
  'https://hudu.example.com/c/acme/assets',
  'https://acme.itglue.com/1234/docs',
  'https://www.connectwise.com/platform/psa',
  'https://university.connectwise.com/',
  // Autotask is not supported.
  'https://ww3.autotask.net/Mvc/ServiceDesk/TicketDetail.mvc?ticketId=1',
  // Not URLs at all.
  '',
  ' ',
  'ConnectWise.aspx?routeTo=ServiceFV&recid=1',
  '/v4_6_release/ConnectWise.aspx?routeTo=ServiceFV&recid=1',
  'na.myconnectwise.net/v2025_1/ConnectWise.aspx?routeTo=ServiceFV&recid=1',
  'acme.halopsa.com/tickets?id=1',
  '/tickets?id=1',
  '/MSP/TicketEdit.aspx?ID=1',
  'https://',
  'http://[::1',
  'https://exa mple.com/v4_6_release/ConnectWise.aspx',
];

const sameTarget = (a: DetectedPage, b: DetectedPage): boolean => a.psa === b.psa && a.kind === b.kind && a.id === b.id;

describe('detectPage across PSAs', () => {
  it('has examples for every PSA', () => {
    for (const psa of PSA_KINDS) expect(detectors[psa].examples.length, psa).toBeGreaterThanOrEqual(30);
  });

  it.each(allExamples)('$url is detected by exactly one detector', ({ url, expected }) => {
    const parsed = new URL(url);
    for (const [psa, { detect }] of Object.entries(detectors)) {
      const page = detect(parsed);
      if (psa === expected.psa) expect(page).toStrictEqual(expected);
      else expect(page, psa).toBeNull();
    }
  });

  // github-url-detection's "NO" loop across every detector: an example of one PSA/kind/id is no
  // other PSA, no other kind and no other record.
  it.each(allExamples)('NO: $url is nothing else, for any PSA', ({ url, expected }) => {
    const parsed = new URL(url);
    for (const [psa, { is }] of Object.entries(detectors)) {
      for (const kind of PSA_PAGE_KINDS) {
        expect(is(parsed, kind), `${psa} ${kind}`).toBe(psa === expected.psa && kind === expected.kind);
      }
    }
    const actual = detectPage(url);
    for (const other of allExamples) {
      if (sameTarget(other.expected, expected)) continue;
      expect(actual).not.toStrictEqual(other.expected);
    }
  });

  it.each(urlsThatDontMatch)('%s is no PSA page', (url) => {
    expect(detectPage(url)).toBeNull();
  });

  it('tolerates non-string input from untyped callers', () => {
    for (const value of [undefined, null, 42, {}, new URL('https://example.com/')]) {
      expect(detectPage(value as unknown as string)).toBeNull();
    }
  });
});

// Seeded, dependency-free property check: detectPage never throws and only ever returns a
// well-formed result.
describe('detectPage on garbage', () => {
  let seed = 0x5eed;
  const random = (): number => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  const tokens = [
    'https://',
    'http://',
    'chrome-extension://',
    'about:',
    'na.myconnectwise.net',
    '127.0.0.1:8080',
    'api-na.myconnectwise.net',
    '/',
    '//',
    'v4_6_release',
    'v2025_1',
    'v2025',
    'ConnectWise.aspx',
    'connectwise.html',
    'services/system_io/',
    'router/openrecord.rails',
    'Service/fv_sr100_request.rails',
    'apis/3.0/',
    '?',
    '&',
    '=',
    '#',
    '??',
    'routeTo=',
    'recordType=',
    'ServiceFV',
    'CompanyFv',
    'recid=',
    'srRecID=',
    'service_recid=',
    '0',
    '123456',
    '99999999999',
    '-1',
    'startscreen=',
    'sr150',
    'sr100',
    'state=',
    '{"p":"sr100","s":{"p":{"rd":',
    '}}}',
    '%',
    '%7B',
    '%22',
    '%E2%80%A6',
    'XQAACAD',
    'XQAAEAD__________wA',
    '$',
    '_',
    '==',
    '\u0000',
    '\n',
    ' ',
    'é',
    '✓',
    '\uD800',
    '😀',
    '[::1]',
    '@',
    ':',
    '..',
    'acme.halopsa.com',
    'x.haloitsm.com',
    'www.halopsa.com',
    'tickets',
    'ticket',
    'customers',
    'assets',
    'contracts',
    'portal/',
    'config/',
    'api/',
    'auth/',
    'id=',
    'id=-1',
    'clientid=',
    'siteid=',
    'userid=',
    'mainview=',
    'site',
    'user',
    'client',
    'faultid=',
    'assetid=',
    'bms.kaseya.com',
    'psa.pulseway.com',
    'api.bms.kaseya.com',
    '127.0.0.1:5000',
    'MSP/',
    'TicketEdit.aspx',
    'CRM/AccountEdit.aspx',
    'ID=',
    'react/',
    'servicedesk/',
    'mytickets/',
    'home/views/12/',
    'crm/accounts/',
    'api2/v2/',
    'v2/',
  ];
  const contexts: readonly (DetectContext | undefined)[] = [
    undefined,
    {},
    { hosts: [] },
    {
      hosts: [
        { host: '127.0.0.1:5000', psa: 'halo' },
        { host: '127.0.0.1:8080', psa: 'kaseya-bms' },
      ],
    },
    {
      hosts: [
        { host: 'na.myconnectwise.net', psa: 'kaseya-bms' },
        { host: 'example.com', psa: 'halo' },
      ],
    },
    {
      hosts: [
        { host: '', psa: 'halo' },
        { host: '[::1', psa: 'kaseya-bms' },
        { host: 'a:99999', psa: 'halo' },
      ],
    },
    { hosts: [null, 5, { host: 5, psa: 'halo' }, { host: '127.0.0.1:5000', psa: 'autotask' }] } as unknown as DetectContext,
    { hosts: 'not-an-array' } as unknown as DetectContext,
  ];
  const garbage = (): string => {
    let s = '';
    for (let n = Math.floor(random() * 24); n > 0; n--) {
      s += random() < 0.8 ? pick(tokens) : String.fromCharCode(Math.floor(random() * 0x3000));
    }
    return s;
  };
  const mutate = (url: string): string => {
    const chars = [...url];
    for (let n = 1 + Math.floor(random() * 6); n > 0; n--) {
      const at = Math.floor(random() * (chars.length + 1));
      const op = random();
      if (op < 0.33) chars.splice(at, 1);
      else if (op < 0.66) chars.splice(at, 0, pick(tokens));
      else chars[at] = String.fromCharCode(Math.floor(random() * 128));
    }
    return random() < 0.2 ? chars.join('').slice(0, Math.floor(random() * chars.length)) : chars.join('');
  };

  const inputs = [
    ...Array.from({ length: 300 }, garbage),
    ...Array.from({ length: 600 }, () => mutate(pick(allExamples).url)),
    ...Array.from({ length: 100 }, () => mutate(pick(urlsThatDontMatch))),
  ];

  it('never throws and returns null or a well-formed page', () => {
    for (const input of inputs) {
      let page: DetectedPage | null = null;
      const context = pick(contexts);
      expect(() => (page = detectPage(input, context)), input).not.toThrow();
      const result = page as DetectedPage | null;
      if (result === null) continue;
      expect(PSA_KINDS, input).toContain(result.psa);
      expect(PSA_PAGE_KINDS, input).toContain(result.kind);
      if (result.id !== undefined) {
        expect(result.kind, input).not.toBe('other');
        expect(result.id, input).toMatch(/^[1-9]\d{0,9}$/);
      }
    }
  });

  it('never throws inside a detector either (detectPage swallows detector errors)', () => {
    for (const input of inputs) {
      let parsed: URL;
      try {
        parsed = new URL(input);
      } catch {
        continue;
      }
      for (const { detect } of Object.values(detectors)) {
        for (const context of contexts) expect(() => detect(parsed, context), input).not.toThrow();
      }
    }
  });
});
