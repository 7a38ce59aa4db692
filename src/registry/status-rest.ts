import type { KubeObject } from '../api/object.ts';
import type { GenericRest } from './generic-rest.ts';
import type { PatchOptions, PatchType, SubresourceRest, WriteOptions } from './rest.ts';
import type { SubresourceStrategy } from './strategy.ts';

/**
 * A `/status` subresource: GET is the object; PUT and PATCH write through `strategy`, which keeps the old spec.
 * Never creates, never runs the kind's defaults.
 *
 *   podRest.addSubresource('status', statusRest(podRest, podStatusStrategy));
 */
export function statusRest(rest: GenericRest, strategy: SubresourceStrategy): SubresourceRest {
  const mode = { strategy, defaults: false, shouldDelete: rest.strategy.shouldDeleteDuringUpdate?.bind(rest.strategy) };
  return {
    get: (namespace: string | undefined, name: string) => rest.get(namespace, name),
    async update(namespace: string | undefined, name: string, body: KubeObject, options: WriteOptions) {
      const r = await rest.updateWith(namespace, name, body, options, mode, false);
      return { object: r.object, created: false };
    },
    async patch(namespace: string | undefined, name: string, type: PatchType, patch: unknown, options: PatchOptions) {
      const r = await rest.patchWith(namespace, name, type, patch, options, mode);
      return { object: r.object, created: false };
    },
  };
}
