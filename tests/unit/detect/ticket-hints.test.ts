import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { ticketHintsFromDom } from '@/lib/psa/pages';

const page = (html: string) => parseHTML(`<!doctype html><html><body>${html}</body></html>`).document;

describe('ticket hints from the page', () => {
  it('ConnectWise: company and contact inputs of the ticket header', () => {
    const doc = page('<div data-cwid="company"><input class="cw_company" value="  Northwind   Dental "></div><input class="cw_contact" value="Priya Raman">');
    expect(ticketHintsFromDom('connectwise', doc)).toEqual({ companyName: 'Northwind Dental', contactName: 'Priya Raman' });
    expect(ticketHintsFromDom('connectwise', page('<div data-cwid="company"><input value="Contoso"></div>'))).toEqual({ companyName: 'Contoso' });
  });

  it('Kaseya BMS: the account of the React view or the legacy page', () => {
    expect(ticketHintsFromDom('kaseya-bms', page('<div class="psa-ticket-info-summary-account"><a>Contoso Dental</a></div>'))).toEqual({
      companyName: 'Contoso Dental',
    });
    expect(ticketHintsFromDom('kaseya-bms', page('<a class="itg-org">Fabrikam</a>'))).toEqual({ companyName: 'Fabrikam' });
  });

  it('nothing from Halo, empty fields, or a page without the hooks; long values are cut', () => {
    expect(ticketHintsFromDom('halo', page('<input class="cw_company" value="X">'))).toEqual({});
    expect(ticketHintsFromDom('connectwise', page('<input class="cw_company" value="   ">'))).toEqual({});
    expect(ticketHintsFromDom('connectwise', page('<p>nothing</p>'))).toEqual({});
    expect(ticketHintsFromDom('connectwise', page(`<input class="cw_company" value="${'A'.repeat(500)}">`)).companyName).toHaveLength(200);
  });
});
