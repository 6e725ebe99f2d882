import { describe, expect, it } from 'vitest';
import { parseHost } from '../../../lib/detect/hosts';
import type { DetectContext } from '../../../lib/detect/index';
import { contextPsa, detectPage, hostPsa } from '../../../lib/psa/pages';

const on = (host: string, psa: 'connectwise' | 'halo' | 'kaseya-bms'): DetectContext => ({ hosts: [{ host, psa }] });

describe('detectPage with context hosts', () => {
  it('recognises Halo paths on a configured emulator host, and only there', () => {
    const url = 'http://127.0.0.1:5000/tickets?id=5';
    expect(detectPage(url, on('127.0.0.1:5000', 'halo'))).toStrictEqual({ psa: 'halo', kind: 'ticket', id: '5' });
    expect(detectPage(url)).toBeNull();
    expect(detectPage(url, {})).toBeNull();
    expect(detectPage(url, { hosts: [] })).toBeNull();
    expect(detectPage(url, on('127.0.0.1:5001', 'halo'))).toBeNull(); // other port
    expect(detectPage(url, on('127.0.0.1', 'halo'))).toBeNull(); // a port-less entry is port-less
    expect(detectPage('http://127.0.0.1/tickets?id=5', on('127.0.0.1:5000', 'halo'))).toBeNull();
    expect(detectPage('http://127.0.0.2:5000/tickets?id=5', on('127.0.0.1:5000', 'halo'))).toBeNull();
  });

  it('uses the configured PSA path rules for every Halo and BMS shape', () => {
    const halo = on('helpdesk.example.com', 'halo');
    expect(detectPage('https://helpdesk.example.com/customers?mainview=client&clientid=12', halo)).toStrictEqual({ psa: 'halo', kind: 'company', id: '12' });
    expect(detectPage('https://helpdesk.example.com/customers?mainview=site&siteid=20', halo)).toStrictEqual({ psa: 'halo', kind: 'site', id: '20' });
    expect(detectPage('https://helpdesk.example.com/assets?id=32', halo)).toStrictEqual({ psa: 'halo', kind: 'configuration', id: '32' });
    expect(detectPage('https://helpdesk.example.com/portal/ticket?id=9', halo)).toStrictEqual({ psa: 'halo', kind: 'ticket', id: '9' });
    expect(detectPage('https://helpdesk.example.com/config/agents/agents?agentid=3', halo)).toStrictEqual({ psa: 'halo', kind: 'other' });
    expect(detectPage('https://helpdesk.example.com/api/Tickets/5', halo)).toBeNull();
    expect(detectPage('https://helpdesk.example.com/auth/token', halo)).toBeNull();
    // BMS paths mean nothing to Halo: just a Halo page.
    expect(detectPage('https://helpdesk.example.com/MSP/TicketEdit.aspx?ID=5', halo)).toStrictEqual({ psa: 'halo', kind: 'other' });

    const bms = on('psa.example.com:8443', 'kaseya-bms');
    expect(detectPage('https://psa.example.com:8443/MSP/TicketEdit.aspx?ID=5', bms)).toStrictEqual({ psa: 'kaseya-bms', kind: 'ticket', id: '5' });
    expect(detectPage('https://psa.example.com:8443/react/servicedesk/tickets/6', bms)).toStrictEqual({ psa: 'kaseya-bms', kind: 'ticket', id: '6' });
    expect(detectPage('https://psa.example.com:8443/tickets?id=5', bms)).toStrictEqual({ psa: 'kaseya-bms', kind: 'other' });
    expect(detectPage('https://psa.example.com:8443/api2/v2/servicedesk/tickets/5', bms)).toBeNull();
    expect(detectPage('https://psa.example.com/MSP/TicketEdit.aspx?ID=5', bms)).toBeNull();
    // The API host of a custom domain is not a page, even when someone configures it.
    expect(detectPage('https://api.psa.example.com/v2/servicedesk/tickets/5', on('api.psa.example.com', 'kaseya-bms'))).toBeNull();
  });

  it('keeps ConnectWise paths ConnectWise on any host, also one configured for another PSA', () => {
    const url = 'http://127.0.0.1:5000/v4_6_release/ConnectWise.aspx?routeTo=ServiceFV&recid=7';
    const cw = { psa: 'connectwise', kind: 'ticket', id: '7' };
    expect(detectPage(url)).toStrictEqual(cw);
    expect(detectPage(url, on('127.0.0.1:5000', 'halo'))).toStrictEqual(cw);
    expect(detectPage(url, on('127.0.0.1:5000', 'kaseya-bms'))).toStrictEqual(cw);
    expect(detectPage(url, on('127.0.0.1:5000', 'connectwise'))).toStrictEqual(cw);
    // A host configured for ConnectWise does not make Halo paths ConnectWise pages.
    expect(detectPage('http://127.0.0.1:5000/tickets?id=5', on('127.0.0.1:5000', 'connectwise'))).toBeNull();
  });

  it('matches hosts case-insensitively and treats the default port as no port', () => {
    expect(detectPage('https://HelpDesk.Example.COM/tickets?id=5', on('helpdesk.example.com', 'halo'))?.id).toBe('5');
    expect(detectPage('https://helpdesk.example.com/tickets?id=5', on('HELPDESK.EXAMPLE.COM', 'halo'))?.id).toBe('5');
    expect(detectPage('https://helpdesk.example.com/tickets?id=5', on(' helpdesk.example.com ', 'halo'))?.id).toBe('5');
    expect(detectPage('https://helpdesk.example.com/tickets?id=5', on('helpdesk.example.com:443', 'halo'))?.id).toBe('5');
    expect(detectPage('https://helpdesk.example.com:443/tickets?id=5', on('helpdesk.example.com:443', 'halo'))?.id).toBe('5');
    expect(detectPage('http://helpdesk.example.com/tickets?id=5', on('helpdesk.example.com:80', 'halo'))?.id).toBe('5');
    expect(detectPage('http://helpdesk.example.com/tickets?id=5', on('helpdesk.example.com:443', 'halo'))).toBeNull();
    expect(detectPage('http://localhost:05000/tickets?id=5', on('LOCALHOST:5000', 'halo'))?.id).toBe('5');
    expect(detectPage('http://[::1]:5000/tickets?id=5', on('[0:0::1]:5000', 'halo'))?.id).toBe('5');
    // No suffix or prefix matching.
    expect(detectPage('https://a.helpdesk.example.com/tickets?id=5', on('helpdesk.example.com', 'halo'))).toBeNull();
    expect(detectPage('https://helpdesk.example.com.evil.com/tickets?id=5', on('helpdesk.example.com', 'halo'))).toBeNull();
    expect(detectPage('https://elpdesk.example.com/tickets?id=5', on('helpdesk.example.com', 'halo'))).toBeNull();
  });

  it('never lets a context relabel a vendor host; the first matching entry wins otherwise', () => {
    expect(detectPage('https://acme.halopsa.com/tickets?id=5', on('acme.halopsa.com', 'kaseya-bms'))).toStrictEqual({ psa: 'halo', kind: 'ticket', id: '5' });
    expect(detectPage('https://bms.kaseya.com/MSP/TicketEdit.aspx?ID=5', on('bms.kaseya.com', 'halo'))).toStrictEqual({
      psa: 'kaseya-bms',
      kind: 'ticket',
      id: '5',
    });
    const both: DetectContext = {
      hosts: [
        { host: 'psa.example.com', psa: 'kaseya-bms' },
        { host: 'psa.example.com', psa: 'halo' },
      ],
    };
    expect(detectPage('https://psa.example.com/react/servicedesk/tickets/5', both)).toStrictEqual({ psa: 'kaseya-bms', kind: 'ticket', id: '5' });
    expect(detectPage('https://psa.example.com/tickets?id=5', both)).toStrictEqual({ psa: 'kaseya-bms', kind: 'other' });
  });

  it('keeps one-argument calls exactly as before', () => {
    expect(detectPage('https://acme.halopsa.com/tickets?id=5')).toStrictEqual({ psa: 'halo', kind: 'ticket', id: '5' });
    expect(detectPage('https://acme.halopsa.com/tickets?id=5', undefined)).toStrictEqual({ psa: 'halo', kind: 'ticket', id: '5' });
  });

  it('ignores malformed context entries without throwing', () => {
    const url = 'http://127.0.0.1:5000/tickets?id=5';
    for (const context of [
      null,
      42,
      'hosts',
      { hosts: null },
      { hosts: 'nope' },
      { hosts: [null, undefined, 1, 'x', {}] },
      { hosts: [{ host: 5, psa: 'halo' }] },
      { hosts: [{ host: '127.0.0.1:5000', psa: 'autotask' }] },
      { hosts: [{ host: '127.0.0.1:5000', psa: 'constructor' }] },
      { hosts: [{ host: '127.0.0.1:99999', psa: 'halo' }] },
      { hosts: [{ host: 'http://127.0.0.1:5000/', psa: 'halo' }] },
      { hosts: [{ host: '127.0.0.1:5000/path', psa: 'halo' }] },
      { hosts: [{ host: 'user@127.0.0.1:5000', psa: 'halo' }] },
    ]) {
      expect(detectPage(url, context as unknown as DetectContext), JSON.stringify(context)).toBeNull();
    }
    // A later valid entry still counts.
    const mixed = { hosts: [null, { host: '', psa: 'halo' }, { host: '127.0.0.1:5000', psa: 'halo' }] };
    expect(detectPage(url, mixed as unknown as DetectContext)?.psa).toBe('halo');
  });
});

describe('host helpers', () => {
  it('parses host[:port] entries', () => {
    expect(parseHost('127.0.0.1:5000')).toStrictEqual({ hostname: '127.0.0.1', port: '5000' });
    expect(parseHost('Acme.Example.com')).toStrictEqual({ hostname: 'acme.example.com' });
    expect(parseHost('acme.example.com:080')).toStrictEqual({ hostname: 'acme.example.com', port: '80' });
    expect(parseHost('[::1]:8080')).toStrictEqual({ hostname: '[::1]', port: '8080' });
    expect(parseHost('bücher.example')).toStrictEqual({ hostname: 'xn--bcher-kva.example' });
    for (const bad of ['', ' ', ':5000', 'a:0', 'a:65536', 'a b', 'a/b', 'a?b', 'user@a', '[::1', 'http://a', 'a:5000:1']) {
      expect(parseHost(bad), bad).toBeUndefined();
    }
  });

  it('resolves vendor hosts first, then the context', () => {
    const ctx = on('psa.example.com', 'kaseya-bms');
    expect(hostPsa(new URL('https://acme.haloitsm.com/'), ctx)).toBe('halo');
    expect(hostPsa(new URL('https://psa.pulseway.com/'), ctx)).toBe('kaseya-bms');
    expect(hostPsa(new URL('https://psa.example.com/'), ctx)).toBe('kaseya-bms');
    expect(hostPsa(new URL('https://other.example.com/'), ctx)).toBeUndefined();
    expect(contextPsa(new URL('https://acme.haloitsm.com/'), ctx)).toBeUndefined();
  });
});
