import type { QuantityChange } from '../billing-writer';
import { PsaError } from '../errors';
import type { BmsRefusal } from './client';
import { problemDetailsSchema } from './ticket-schemas';
import { errorMessage } from './wire';

/**
 * The right billing writes need, named like the ticket right (BMS roles grant View and Modify per
 * menu, docs/psa/kaseya-bms.md#billing-counts); the catalog is read under Admin.
 */
export const BMS_BILLING_RIGHT = 'Finance › Contracts (View and Modify)';
export const BMS_CATALOG_RIGHT = 'Admin › Finance › Services (View)';

/**
 * How a refused billing write reads (HTTP 4xx, or 200 with `success:false`): never worth sending
 * again as it is, so 'config' with BMS's own words; a 403 names the right. A 404/405 without a body
 * to the update is the server saying it has no such call (it is not in Kaseya's published API).
 * 401, 429 and 5xx keep the client's usual mapping.
 */
export function refusedBillingWrite(change: QuantityChange, kind: 'add' | 'update'): BmsRefusal {
  const contract = `contract ${change.agreementRemoteId}`;
  const what = kind === 'add' ? `adding ${change.product.name} to ${contract}` : `changing the units of ${change.product.name} on ${contract}`;
  return (status, body) => {
    if (status === 401 || status === 429 || status >= 500) return undefined;
    const message = errorMessage(body)?.trim() || undefined;
    const code = status === 200 ? '' : ` (${status})`;
    if (status === 403 || (message && /access|permission|denied|authori/i.test(message))) {
      return new PsaError(
        'config',
        `Kaseya BMS refused ${what}${code}: the API user's security role needs ${BMS_BILLING_RIGHT}${message ? ` (“${message}”)` : ''}.`,
        {
          status,
        },
      );
    }
    const problem = problemDetailsSchema.safeParse(body);
    const errors = problem.success ? Object.values(problem.data.errors ?? {}).flat() : [];
    const said = message ?? (errors.length ? errors.join(' ') : problem.success ? (problem.data.title ?? undefined) : undefined);
    if (kind === 'update' && (status === 404 || status === 405) && !said) {
      return new PsaError(
        'config',
        `This Kaseya BMS server has no API call that changes the units of a service already on a contract (Kaseya's published API can only add services). Change ${change.product.name} on ${contract} to ${change.quantity} in BMS (Finance › Contracts › Services).`,
        { status },
      );
    }
    if (status === 200 && !said) return undefined;
    return new PsaError('config', `Kaseya BMS refused ${what}${said ? `: ${said}` : ` (HTTP ${status}).`}`, { status });
  };
}
