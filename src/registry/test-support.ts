import type { KubeObject } from '../api/object.ts';
import type { ResourceInfo } from '../api/resources.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from '../api/meta-validation.ts';
import type { KubeList } from '../api/object.ts';
import type { Status } from '../machinery/api-error.ts';
import { isApiError } from '../machinery/api-error.ts';
import type { ResourceRest, WatchEventType, WatchOptions, WriteOptions } from './rest.ts';
import type { Strategy } from './strategy.ts';

/** Shared helpers for the registry's tests (not used by production code). */

export const writeOptions = (over: Partial<WriteOptions> = {}): WriteOptions => ({
  user: { name: 'test', groups: ['system:masters'] },
  dryRun: false,
  fieldValidation: 'Strict',
  warnings: [],
  ...over,
});

/** A plain strategy (no defaults, status kept from the old object) for exercising GenericRest. */
export function plainStrategy(info: ResourceInfo, over: Partial<Strategy> = {}): Strategy {
  return {
    info,
    defaults() {},
    prepareForCreate() {},
    validate: (obj) => validateObjectMeta(obj.metadata, { namespaced: info.namespaced }),
    prepareForUpdate(obj, old) {
      if (old.status !== undefined) obj.status = old.status;
    },
    validateUpdate: (obj, old) => validateObjectMetaUpdate(obj.metadata, old.metadata),
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    returnDeletedObject: false,
    ...over,
  };
}

/** Runs `fn` and returns the ApiError it throws (fails when it does not throw one). */
export async function apiErrorOf(fn: () => Promise<unknown>): Promise<{ code: number; reason: string; message: string; details?: Status['details'] }> {
  try {
    await fn();
  } catch (err) {
    if (isApiError(err)) return { code: err.code, reason: err.reason, message: err.message, details: err.details };
    throw err;
  }
  throw new Error('expected an ApiError');
}

export interface Recorded {
  type: WatchEventType;
  object: KubeObject | Status;
}

/** A watch that records its events; `next(n)` waits until n events have arrived. */
export async function recordWatch(rest: ResourceRest, namespace: string | undefined, options: WatchOptions) {
  const events: Recorded[] = [];
  const waiters: Array<() => void> = [];
  const handle = await rest.watch(namespace, options, (type, object) => {
    events.push({ type, object });
    for (const w of waiters.splice(0)) w();
  });
  return {
    events,
    handle,
    async next(n: number, timeoutMs = 5000): Promise<Recorded[]> {
      const deadline = Date.now() + timeoutMs;
      while (events.length < n) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} events, have ${events.length}: ${JSON.stringify(events.map((e) => e.type))}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 20);
        });
      }
      return events.slice(0, n);
    },
  };
}

export const names = (list: KubeList) => list.items.map((i) => i.metadata.name);

export const settle = () => new Promise((resolve) => setImmediate(resolve));
