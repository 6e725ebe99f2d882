import Dexie from 'dexie';
import { DEFAULT_SYNC_LOCATIONS } from '../db/schema';
import { HandledError } from '../errors';
import { authorForWriting } from '../docstore/author';
import type { Handlers } from '../messaging/router';
import { planBilling, runBilling } from '../billing/run';
import { billingView } from '../billing/view';
import type { BackgroundServices } from './services';

type BillingChannels = 'billing.settings' | 'billing.settings.save' | 'billing.preview' | 'billing.run' | 'billing.log';

/** The billing channels (#16): extension pages only; every write goes through runBilling's checks. */
export function billingHandlers(services: BackgroundServices): Pick<Handlers, BillingChannels> {
  const { db } = services;
  const deps = { db, adapterFor: services.adapterFor };
  return {
    'billing.settings': async (request) => billingView(db, request.integrationId, services.adapterFor),
    'billing.settings.save': async (request) => {
      // A company's mapping names one of its own agreements (required to save it).
      for (const [companyRemoteId, { agreementRemoteId }] of Object.entries(request.settings.companies)) {
        const agreement = await db.records.get([request.integrationId, 'agreement', agreementRemoteId]);
        if (!agreement || agreement.companyRemoteId !== companyRemoteId) {
          throw new HandledError('invalid', 'A company’s mapping names an agreement that is not that company’s: choose one of its own.');
        }
      }
      await db.transaction('rw', db.integrations, async () => {
        const integration = await db.integrations.get(request.integrationId);
        if (!integration) throw new HandledError('not-found', 'That integration no longer exists.');
        await db.integrations.update(integration.id, {
          options: { syncLocations: integration.options?.syncLocations ?? DEFAULT_SYNC_LOCATIONS, ...integration.options, billing: request.settings },
        });
      });
      await services.applyBillingSchedules();
      return { saved: true as const };
    },
    'billing.preview': async (request) => planBilling(deps, request.integrationId),
    'billing.run': async (request) => runBilling(deps, request.integrationId, 'manual', (await authorForWriting(db)).name || 'this browser'),
    'billing.log': async (request) => ({
      entries: (
        await db.billingLog
          .where('[integrationId+at]')
          .between([request.integrationId, Dexie.minKey], [request.integrationId, Dexie.maxKey])
          .reverse()
          .limit(200)
          .toArray()
      ).map(({ companyName, productName, from, to, at, by, trigger }) => ({
        companyName,
        productName,
        ...(from !== undefined ? { from } : {}),
        to,
        at,
        by,
        trigger,
      })),
    }),
  };
}
