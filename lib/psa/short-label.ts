import type { PsaKind } from './kinds';

/** The PSAs' names as technicians say them, for badges beside records and search results. */
const SHORT_NAME: Record<PsaKind, string> = { connectwise: 'CW', halo: 'Halo', 'kaseya-bms': 'BMS' };

interface Source {
  id: string;
  psa: PsaKind;
  uiOrigin: string;
}

/**
 * Each integration's badge: the PSA's short name ("CW", "Halo", "BMS"), with the server's host
 * only where two integrations are of the same PSA (a migration between two tenants). The full
 * label ("Kaseya BMS (bms.example:443)") stays on the options page.
 */
export function shortSourceLabels(integrations: readonly Source[]): Map<string, string> {
  const perPsa = new Map<PsaKind, number>();
  for (const integration of integrations) perPsa.set(integration.psa, (perPsa.get(integration.psa) ?? 0) + 1);
  return new Map(
    integrations.map((integration) => {
      const name = SHORT_NAME[integration.psa];
      return [integration.id, (perPsa.get(integration.psa) ?? 0) > 1 ? `${name} · ${hostOf(integration.uiOrigin)}` : name];
    }),
  );
}

const hostOf = (origin: string) => {
  try {
    return new URL(origin).hostname;
  } catch {
    return origin;
  }
};
