import { defineBackground } from 'wxt/utils/define-background';
import { createHandlers } from '@/lib/background/handlers';
import { createBackgroundServices } from '@/lib/background/services';
import { clearBadge } from '@/lib/background/badge';
import { browser } from '@/lib/browser';
import type { Runtime } from 'webextension-polyfill';
import { createRouter } from '@/lib/messaging/router';

// Wiring only, registered synchronously so an event that wakes the worker is not missed (R1).
export default defineBackground(() => {
  const services = createBackgroundServices();
  const route = createRouter(createHandlers(services), () => ({
    id: browser.runtime.id,
    origin: new URL(browser.runtime.getURL('/')).origin,
  }));
  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => route(message, sender));
  browser.alarms.onAlarm.addListener((alarm) => void services.onAlarm(alarm.name));
  browser.runtime.onInstalled.addListener(() => void services.start());
  browser.runtime.onStartup.addListener(() => void services.start());
  // A new document in a tab: its badge and the record it was served go (the overlay asks anew).
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.status !== 'loading') return;
    void clearBadge(tabId).catch(() => {});
    void services.forgetTab(tabId, false).catch(() => {});
  });
  browser.tabs.onRemoved.addListener((tabId) => void services.forgetTab(tabId, true).catch(() => {}));
  void services.start();
});
