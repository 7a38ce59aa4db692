import type { Store } from './store.ts';

export interface CompactorOptions {
  /** How often to compact. Default 5 minutes (as kine and the Kubernetes API server do). */
  intervalMs?: number;
  /** Always keep at least this many of the newest revisions. Default 10,000. */
  keepRevisions?: number;
  /** Called with any compaction failure (the compactor keeps running). Default: ignore. */
  onError?: (err: Error) => void;
  /** Called after each compaction with the new compacted revision. */
  onCompact?: (revision: number) => void;
}

export interface Compactor {
  /** Runs one compaction now; resolves to the revision compacted to, or undefined when there was nothing to do. */
  runOnce(): Promise<number | undefined>;
  /** Stops the timer. Idempotent. */
  stop(): void;
}

export const DEFAULT_COMPACT_INTERVAL_MS = 5 * 60_000;
export const DEFAULT_KEEP_REVISIONS = 10_000;

/**
 * Compacts `store` periodically. Each run compacts to
 *   min(revision current at the previous run, current - keepRevisions)
 * so history stays watchable for at least one interval (a client re-watching from a resourceVersion it saw within
 * the last 5 minutes does not get "410 Gone") and never shrinks below `keepRevisions` revisions.
 *
 *   const compactor = startCompactor(store, { onError: (err) => log.warn('compaction failed', err) });
 *   ...
 *   compactor.stop();
 */
export function startCompactor(store: Store, options: CompactorOptions = {}): Compactor {
  const intervalMs = options.intervalMs ?? DEFAULT_COMPACT_INTERVAL_MS;
  const keep = options.keepRevisions ?? DEFAULT_KEEP_REVISIONS;
  if (!(intervalMs > 0)) throw new RangeError(`startCompactor: intervalMs must be positive, got ${intervalMs}`);
  if (!(keep >= 0)) throw new RangeError(`startCompactor: keepRevisions must be >= 0, got ${keep}`);

  let seenAtLastRun = 0; // the first run only records the revision: nothing is older than one interval yet
  let running: Promise<number | undefined> | undefined;

  const compactNow = async (): Promise<number | undefined> => {
    const current = await store.currentRevision();
    const target = Math.min(seenAtLastRun, current - keep);
    seenAtLastRun = current;
    if (target <= (await store.compactedRevision())) return undefined;
    await store.compact(target);
    options.onCompact?.(target);
    return target;
  };
  const runOnce = (): Promise<number | undefined> => {
    // Never two at once: a slow compaction simply makes the next tick wait for it.
    running ??= compactNow().finally(() => (running = undefined));
    return running;
  };

  const timer = setInterval(() => {
    runOnce().catch((err: unknown) => options.onError?.(err instanceof Error ? err : new Error(String(err))));
  }, intervalMs);
  timer.unref(); // a compactor alone must not keep the process alive
  return { runOnce, stop: () => clearInterval(timer) };
}
