import type { KubeObject } from '../api/object.ts';
import type { Status } from '../machinery/api-error.ts';
import { ApiError, badRequestError, conflictError, invalidError } from '../machinery/api-error.ts';
import type { FieldError } from '../machinery/field-error.ts';
import { invalid, required } from '../machinery/field-error.ts';
import type { GenericRest } from './generic-rest.ts';
import type { SubresourceRest, WriteOptions } from './rest.ts';
import { rfc3339 } from './timestamps.ts';

/**
 * POST pods/<name>/binding (pkg/registry/core/pod/storage BindingREST): sets spec.nodeName and the
 * PodScheduled=True condition. 409 when the pod is already bound, being deleted, or still gated.
 *
 *   await binding.create('default', 'web', { metadata: { name: 'web' }, target: { kind: 'Node', name: 'n1' } }, opts);
 */
export function podBindingRest(podRest: GenericRest): SubresourceRest {
  return {
    async create(namespace: string | undefined, name: string, body: KubeObject, options: WriteOptions): Promise<Status> {
      const meta = body.metadata ?? {};
      if (meta.name && meta.name !== name) throw badRequestError('name in URL does not match name in Binding object');
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw badRequestError('the namespace of the provided object does not match the namespace sent on the request');
      }
      const errs: FieldError[] = [];
      const target = body.target ?? {};
      if (target.kind && target.kind !== 'Node') errs.push(invalid('target.kind', target.kind, "must be empty or 'Node'"));
      if (!target.name) errs.push(required('target.name'));
      if (errs.length > 0) throw invalidError('Binding', name, errs);
      const node: string = target.name;

      await podRest.guaranteedUpdate(
        namespace,
        name,
        (pod) => {
          if (meta.uid && meta.uid !== pod.metadata.uid) {
            throw conflictError('pods', name, `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${pod.metadata.uid ?? ''}`);
          }
          if (meta.resourceVersion && meta.resourceVersion !== pod.metadata.resourceVersion) {
            throw conflictError(
              'pods',
              name,
              `Precondition failed: ResourceVersion in precondition: ${meta.resourceVersion}, ResourceVersion in object meta: ${pod.metadata.resourceVersion ?? ''}`,
            );
          }
          if (pod.metadata.deletionTimestamp) throw bindingConflict(name, `pod ${name} is being deleted, cannot be assigned to a host`);
          if (pod.spec?.nodeName) throw bindingConflict(name, `pod ${name} is already assigned to node ${JSON.stringify(pod.spec.nodeName)}`);
          if (Array.isArray(pod.spec?.schedulingGates) && pod.spec.schedulingGates.length > 0) {
            throw bindingConflict(name, `pod ${name} has non-empty .spec.schedulingGates`);
          }
          pod.spec ??= {};
          pod.spec.nodeName = node;
          if (meta.annotations && Object.keys(meta.annotations).length > 0) {
            pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), ...meta.annotations };
          }
          setPodCondition(pod, { type: 'PodScheduled', status: 'True' });
          return { object: pod };
        },
        options.dryRun,
      );
      return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
    },
  };
}

const bindingConflict = (name: string, why: string): ApiError => conflictError('pods/binding', name, why);

/** podutil.UpdatePodCondition: replaces the condition of that type; lastTransitionTime moves only when status flips. */
export function setPodCondition(pod: KubeObject, cond: { type: string; status: string; reason?: string; message?: string }): void {
  pod.status ??= {};
  const conditions: Array<Record<string, unknown>> = Array.isArray(pod.status.conditions) ? pod.status.conditions : [];
  const next: Record<string, unknown> = { type: cond.type, status: cond.status, lastProbeTime: null, lastTransitionTime: rfc3339() };
  if (cond.reason) next.reason = cond.reason;
  if (cond.message) next.message = cond.message;
  const i = conditions.findIndex((c) => c.type === cond.type);
  if (i < 0) conditions.push(next);
  else {
    if (conditions[i]!.status === cond.status && conditions[i]!.lastTransitionTime) next.lastTransitionTime = conditions[i]!.lastTransitionTime;
    conditions[i] = next;
  }
  pod.status.conditions = conditions;
}
