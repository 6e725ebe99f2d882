import type { BrowserContext, Page } from '@playwright/test';

/** What a long run prints every 15 s beside its own progress: the worker's heap now and at its peak, and the page's. */
export interface HeapNow {
  workerMb: number;
  peakMb: number;
  pageMb: number;
}

/**
 * The service worker's JS heap, sampled every 250 ms over CDP (Runtime.getHeapUsage on the
 * worker's target, reattached if the worker restarts): the peak is the worker's peak. `page` is
 * any page of the same browser (its CDP session reaches the worker's target). With `progress`,
 * a line every 15 s says where a long run is.
 */
export async function watchWorkerMemory(context: BrowserContext, page: Page, options: { progress?: (heap: HeapNow) => Promise<string> } = {}) {
  const cdp = await context.newCDPSession(page);
  // Playwright's typings know only flat sessions; the worker is reached through the page's session.
  const send = (method: string, params: Record<string, unknown>) =>
    (cdp.send as (method: string, params: Record<string, unknown>) => Promise<Record<string, unknown>>)(method, params);
  let sessionId: string | undefined;
  let nextId = 1;
  let peakUsed = 0;
  let lastUsed = 0;
  let samples = 0;
  const pending = new Map<number, (reply: { result?: { usedSize: number; totalSize: number } }) => void>();
  (cdp.on as (event: string, listener: (event: { message: string }) => void) => void)('Target.receivedMessageFromTarget', (event) => {
    const reply = JSON.parse(event.message) as { id?: number; result?: { usedSize: number; totalSize: number } };
    if (reply.id !== undefined) pending.get(reply.id)?.(reply);
  });
  const attach = async () => {
    const { targetInfos } = (await send('Target.getTargets', {})) as { targetInfos: { targetId: string; type: string; url: string }[] };
    const worker = targetInfos.find((target) => target.type === 'service_worker' && target.url.startsWith('chrome-extension://'));
    sessionId = worker ? ((await send('Target.attachToTarget', { targetId: worker.targetId, flatten: false })) as { sessionId: string }).sessionId : undefined;
  };
  const sample = async () => {
    if (!sessionId) await attach();
    if (!sessionId) return;
    const id = nextId++;
    const reply = new Promise<{ result?: { usedSize: number } } | undefined>((resolve) => {
      pending.set(id, resolve);
      setTimeout(() => resolve(undefined), 2000);
    });
    await send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) });
    const answer = await reply;
    pending.delete(id);
    if (answer?.result) {
      lastUsed = answer.result.usedSize;
      peakUsed = Math.max(peakUsed, answer.result.usedSize);
      samples += 1;
    } else sessionId = undefined; // the worker restarted: find it again
  };
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void sample()
      .catch(() => (sessionId = undefined))
      .finally(() => (busy = false));
  }, 250);
  const mb = (bytes: number) => Number((bytes / 2 ** 20).toFixed(0));
  const pageHeap = async () => ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
  const started = Date.now();
  const progress = options.progress
    ? setInterval(() => {
        void pageHeap()
          .catch(() => Number.NaN)
          .then((pageUsed) => options.progress!({ workerMb: mb(lastUsed), peakMb: mb(peakUsed), pageMb: mb(pageUsed) }))
          .then((line) => console.info(`  [${Math.round((Date.now() - started) / 1000)} s] ${line}`))
          .catch(() => undefined);
      }, 15_000)
    : undefined;
  return {
    stop: () => {
      clearInterval(timer);
      clearInterval(progress);
    },
    peak: () => ({ peakHeapMb: Math.round((peakUsed / 2 ** 20) * 10) / 10, samples }),
  };
}
