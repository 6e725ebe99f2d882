import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';

/**
 * `SIDECAR_BENCH_PROFILE=<seconds>`: CPU profiles of the options page's main thread and of the
 * service worker over that many seconds of the full sync (`SIDECAR_BENCH_PROFILE_PHASE=resync`:
 * of the first incremental sync; `overlay`: of the overlay's navigations, at most), written to bench-output/ as
 * `<name>-page.cpuprofile` and `<name>-worker.cpuprofile`, and what the page still holds at
 * the end by the code that allocated it (`<name>-page-heap.cpuprofile`, a sampling heap profile) (open them in Chrome's DevTools, or
 * summarise with `node tests/bench/profile-summary.mjs <file>`). Off by default: the profiler
 * slows what it watches.
 */
export async function profileSync(context: BrowserContext, page: Page, name: string): Promise<() => Promise<void>> {
  const seconds = Number(process.env.SIDECAR_BENCH_PROFILE ?? 0);
  if (!(seconds > 0)) return async () => {};
  const save = (which: string) => (profile: unknown) => {
    const file = path.resolve('bench-output', `${name}-${which}.cpuprofile`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
  };
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
  await cdp.send('Profiler.start');
  // What the page holds: allocations still alive when the profile ends, by the code that made them.
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.startSampling', { samplingInterval: 64 * 1024 });
  // The worker is reached through the page's session (Playwright opens sessions on pages only).
  const send = (method: string, params: Record<string, unknown>) =>
    (cdp.send as (method: string, params: Record<string, unknown>) => Promise<Record<string, unknown>>)(method, params);
  const { targetInfos } = (await send('Target.getTargets', {})) as { targetInfos: { targetId: string; type: string; url: string }[] };
  const worker = targetInfos.find((target) => target.type === 'service_worker' && target.url.startsWith('chrome-extension://'));
  const sessionId = worker
    ? ((await send('Target.attachToTarget', { targetId: worker.targetId, flatten: false })) as { sessionId: string }).sessionId
    : undefined;
  let nextId = 1;
  const replies = new Map<number, (result: unknown) => void>();
  (cdp.on as (event: string, listener: (event: { message: string }) => void) => void)('Target.receivedMessageFromTarget', (event) => {
    const reply = JSON.parse(event.message) as { id?: number; result?: unknown };
    if (reply.id !== undefined) replies.get(reply.id)?.(reply.result);
  });
  const inWorker = async (method: string, params: Record<string, unknown> = {}) => {
    const id = nextId++;
    const answer = new Promise((resolve) => replies.set(id, resolve));
    await send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
    return answer;
  };
  if (sessionId) {
    await inWorker('Profiler.enable');
    await inWorker('Profiler.setSamplingInterval', { interval: 1000 });
    await inWorker('Profiler.start');
  }
  let stopped: Promise<void> | undefined;
  // After `seconds`, or earlier when the caller says its phase is over (what it returns).
  const stop = () =>
    (stopped ??= Promise.all([
      cdp
        .send('Profiler.stop')
        .then(({ profile }) => save('page')(profile))
        .catch((error: unknown) => console.warn('The page’s CPU profile was not saved', error)),
      cdp
        .send('HeapProfiler.stopSampling')
        .then(({ profile }) => save('page-heap')(profile))
        .catch((error: unknown) => console.warn('The page’s heap profile was not saved', error)),
      sessionId
        ? inWorker('Profiler.stop')
            .then((result) => save('worker')((result as { profile: unknown }).profile))
            .catch((error: unknown) => console.warn('The worker’s CPU profile was not saved', error))
        : undefined,
    ]).then(() => undefined));
  setTimeout(() => void stop(), seconds * 1000);
  return stop;
}

/**
 * How long a page's main thread has been busy (CDP Performance metrics: TaskDuration) since this
 * was called: the options page's share of the 2 cores while a sync runs beside it.
 */
export async function mainThreadBusy(context: BrowserContext, page: Page): Promise<() => Promise<number>> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0;
  const start = await taskSeconds();
  return async () => (await taskSeconds()) - start;
}
