import { describe, expect, it } from 'vitest';
import type { QueryableDocument } from '../../../lib/detect/index';
import { detectByDom } from '../../../lib/psa/pages';

interface FakeElement {
  text?: string;
  attrs?: Record<string, string>;
}

/** A document that knows only the selectors it is given; querySelector looks them up verbatim. */
function fakeDocument(elements: Record<string, FakeElement>): QueryableDocument & { asked: string[] } {
  const asked: string[] = [];
  const querySelector = (selector: string) => {
    asked.push(selector);
    if (!Object.hasOwn(elements, selector)) return null;
    const element = elements[selector]!;
    return {
      textContent: element.text ?? '',
      getAttribute: (name: string) => element.attrs?.[name] ?? null,
    };
  };
  return { querySelector: querySelector as unknown as Document['querySelector'], asked };
}

describe('detectByDom: ConnectWise', () => {
  it('reads the ticket id from the banner label', () => {
    const doc = fakeDocument({ '.cw_BannerView .detailLabel': { text: 'Service Ticket #123456 - Printer on fire' } });
    expect(detectByDom('connectwise', doc)).toStrictEqual({ kind: 'ticket', id: '123456' });
  });

  it('tolerates spacing and case, and falls back to the plain detail label', () => {
    const doc = fakeDocument({ '.detailLabel.cw_CwLabel': { text: '  service ticket  # 0042 - x' } });
    expect(detectByDom('connectwise', doc)).toStrictEqual({ kind: 'ticket', id: '42' });
  });

  it('does not claim project tickets, other banners or a zero id', () => {
    for (const text of [
      'Project Ticket #777 - Migrate',
      'Company: Acme',
      'Service Board: All Boards',
      'Service Ticket #0 - new',
      'Service Ticket #99999999999',
    ]) {
      expect(detectByDom('connectwise', fakeDocument({ '.cw_BannerView .detailLabel': { text } })), text).toBeNull();
    }
  });

  it('reports a ticket without id from the ticket header pod', () => {
    const doc = fakeDocument({ '.pod_service_ticket_ticket_header': {} });
    expect(detectByDom('connectwise', doc)).toStrictEqual({ kind: 'ticket' });
  });

  it('returns null on an empty page', () => {
    expect(detectByDom('connectwise', fakeDocument({}))).toBeNull();
  });
});

describe('detectByDom: Kaseya BMS', () => {
  it('reads the record from the legacy form action', () => {
    const doc = fakeDocument({
      '#aspnetForm': { attrs: { action: './TicketEdit.aspx?ID=1234567' } },
      '.TicketTitle em span': { text: 'Ticket# 1187-10232023   Printer is down' },
    });
    expect(detectByDom('kaseya-bms', doc)).toStrictEqual({ kind: 'ticket', id: '1234567', number: '1187-10232023' });
  });

  it('reads an (unconfirmed) account page from the form action', () => {
    const doc = fakeDocument({ '#aspnetForm': { attrs: { action: 'AccountEdit.aspx?ID=101234&tab=2' } } });
    expect(detectByDom('kaseya-bms', doc)).toStrictEqual({ kind: 'company', id: '101234' });
    const noId = fakeDocument({ '#aspnetForm': { attrs: { action: 'AccountEdit.aspx' } } });
    expect(detectByDom('kaseya-bms', noId)).toStrictEqual({ kind: 'company' });
  });

  it('falls back to the ticket title number when the form has no id', () => {
    const doc = fakeDocument({
      '#aspnetForm': { attrs: { action: './TicketEdit.aspx' } },
      '.TicketTitle em span': { text: 'Ticket# T20231023.0001 Printer is down' },
    });
    expect(detectByDom('kaseya-bms', doc)).toStrictEqual({ kind: 'ticket', number: 'T20231023.0001' });
    const bare = fakeDocument({ '.TicketTitle': { text: 'Something unexpected' } });
    expect(detectByDom('kaseya-bms', bare)).toStrictEqual({ kind: 'ticket' });
  });

  it('recognises the React ticket view', () => {
    expect(detectByDom('kaseya-bms', fakeDocument({ '.psa-ticket-view-title': { text: 'Printer is down' } }))).toStrictEqual({ kind: 'ticket' });
  });

  it('returns null for list pages and empty pages', () => {
    expect(detectByDom('kaseya-bms', fakeDocument({ '#aspnetForm': { attrs: { action: './TicketsListing.aspx' } } }))).toBeNull();
    expect(detectByDom('kaseya-bms', fakeDocument({ '#aspnetForm': {} }))).toBeNull();
    expect(detectByDom('kaseya-bms', fakeDocument({ '#aspnetForm': { attrs: { action: './TicketEdit.aspx?ID=0' } } }))).toBeNull();
    expect(detectByDom('kaseya-bms', fakeDocument({}))).toBeNull();
  });
});

describe('detectByDom: HaloPSA (unconfirmed title hook)', () => {
  it('reads a ticket title ending in the Halo suffix', () => {
    expect(detectByDom('halo', fakeDocument({ title: { text: 'Ticket #0001234 - Printer is down - HaloPSA' } }))).toStrictEqual({ kind: 'ticket', id: '1234' });
    expect(detectByDom('halo', fakeDocument({ title: { text: 'Ticket 77 | Halo ITSM' } }))).toStrictEqual({ kind: 'ticket', id: '77' });
  });

  it('ignores other titles', () => {
    for (const text of ['Tickets - HaloPSA', 'KB Article #45 - HaloPSA', 'Ticket #12 - Printer', 'New Ticket - HaloPSA', 'Ticket #0 - HaloPSA']) {
      expect(detectByDom('halo', fakeDocument({ title: { text } })), text).toBeNull();
    }
    expect(detectByDom('halo', fakeDocument({}))).toBeNull();
  });
});

describe('detectByDom robustness', () => {
  it('only reads, through querySelector', () => {
    const doc = fakeDocument({});
    detectByDom('kaseya-bms', doc);
    detectByDom('connectwise', doc);
    detectByDom('halo', doc);
    expect(doc.asked).toEqual(expect.arrayContaining(['#aspnetForm', '.TicketTitle em span', '.cw_BannerView .detailLabel', 'title']));
  });

  it('never throws on hostile or broken documents', () => {
    const throwing = {
      querySelector: () => {
        throw new Error('boom');
      },
    } as unknown as QueryableDocument;
    const weird = {
      querySelector: () => ({ textContent: 42, getAttribute: () => 7 }),
    } as unknown as QueryableDocument;
    const noMethods = { querySelector: () => ({}) } as unknown as QueryableDocument;
    for (const doc of [throwing, weird, noMethods, null, undefined, {}, 'document'] as unknown as QueryableDocument[]) {
      for (const psa of ['connectwise', 'halo', 'kaseya-bms', 'autotask'] as const) {
        expect(() => detectByDom(psa as 'halo', doc)).not.toThrow();
      }
    }
    expect(detectByDom('halo', throwing)).toBeNull();
    expect(detectByDom('autotask' as 'halo', fakeDocument({ title: { text: 'Ticket #1 - HaloPSA' } }))).toBeNull();
  });

  it('copes with huge label text quickly', () => {
    const text = `${'Service Ticket '.repeat(50_000)}#12`;
    const started = performance.now();
    expect(detectByDom('connectwise', fakeDocument({ '.cw_BannerView .detailLabel': { text } }))).toBeNull();
    const title = `Ticket #1 ${' -'.repeat(50_000)} x`;
    expect(detectByDom('halo', fakeDocument({ title: { text: title } }))).toBeNull();
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
