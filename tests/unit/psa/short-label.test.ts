import { describe, expect, it } from 'vitest';
import { shortSourceLabels } from '@/lib/psa/short-label';

describe('shortSourceLabels', () => {
  it('names each PSA as technicians do', () => {
    const labels = shortSourceLabels([
      { id: 'a', psa: 'connectwise', uiOrigin: 'https://na.myconnectwise.net' },
      { id: 'b', psa: 'halo', uiOrigin: 'https://contoso.halopsa.com' },
      { id: 'c', psa: 'kaseya-bms', uiOrigin: 'https://bms.kaseya.com:443' },
    ]);
    expect([...labels]).toEqual([
      ['a', 'CW'],
      ['b', 'Halo'],
      ['c', 'BMS'],
    ]);
  });

  it('adds the host only where two integrations are of the same PSA', () => {
    const labels = shortSourceLabels([
      { id: 'old', psa: 'connectwise', uiOrigin: 'https://cw.old-msp.example' },
      { id: 'new', psa: 'connectwise', uiOrigin: 'https://na.myconnectwise.net' },
      { id: 'halo', psa: 'halo', uiOrigin: 'https://contoso.halopsa.com' },
    ]);
    expect(labels.get('old')).toBe('CW · cw.old-msp.example');
    expect(labels.get('new')).toBe('CW · na.myconnectwise.net');
    expect(labels.get('halo')).toBe('Halo');
  });
});
