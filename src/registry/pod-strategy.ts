import type { KubeObject } from '../api/object.ts';
import { pods } from '../api/resources.ts';
import { computeQosClass, defaultPod, podPriorityAdmissionError } from '../api/pod-defaults.ts';
import { podDecodeError, validatePod, validatePodStatusUpdate, validatePodUpdate } from '../api/pod-validation.ts';
import { badRequestError, forbiddenError } from '../machinery/api-error.ts';
import type { DeleteOptions } from './rest.ts';
import type { Strategy, SubresourceStrategy } from './strategy.ts';
import { rfc3339 } from './timestamps.ts';

/**
 * Pods (pkg/registry/core/pod/strategy.go).
 * Create: defaults + admission (ServiceAccount, Priority, DefaultTolerationSeconds), status reset to
 * `{phase: Pending, qosClass}` (plus PodScheduled=False SchedulingGated when gated). Update: status is kept;
 * spec changes are limited by validatePodUpdate. Delete: graceful per §7.2 (unbound or terminal pods go at once).
 */
export const podStrategy: Strategy = {
  info: pods,
  defaults(pod, operation) {
    const decodeError = podDecodeError(pod);
    if (decodeError) throw badRequestError(decodeError);
    if (operation === 'create') {
      const reason = podPriorityAdmissionError(pod);
      if (reason) throw forbiddenError('pods', pod.metadata?.name ?? '', reason);
    }
    defaultPod(pod);
  },
  prepareForCreate(pod) {
    const status: Record<string, unknown> = { phase: 'Pending', qosClass: computeQosClass(pod) };
    if (Array.isArray(pod.spec?.schedulingGates) && pod.spec.schedulingGates.length > 0) {
      status.conditions = [
        {
          type: 'PodScheduled',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: rfc3339(),
          reason: 'SchedulingGated',
          message: 'Scheduling is blocked due to non-empty scheduling gates',
        },
      ];
    }
    pod.status = status;
  },
  validate: (pod) => validatePod(pod),
  warningsOnCreate(pod) {
    const name = pod.metadata?.name ?? '';
    return name.includes('.')
      ? [`metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]`]
      : [];
  },
  prepareForUpdate(pod, old) {
    if (old.status === undefined) delete pod.status;
    else pod.status = old.status;
  },
  validateUpdate: (pod, old) => validatePodUpdate(pod, old),
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
  returnDeletedObject: true,
  gracefulDeletePeriod: podGracePeriod,
};

/** CheckGracefulDelete: the requested or spec'd grace; 0 for unbound and terminal pods; negatives become 1. */
export function podGracePeriod(pod: KubeObject, options: DeleteOptions): number {
  let period =
    options.gracePeriodSeconds !== undefined && options.gracePeriodSeconds !== null
      ? options.gracePeriodSeconds
      : typeof pod.spec?.terminationGracePeriodSeconds === 'number'
        ? pod.spec.terminationGracePeriodSeconds
        : 0;
  if (!pod.spec?.nodeName) period = 0;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') period = 0;
  if (period < 0) period = 1;
  options.gracePeriodSeconds = period;
  return period;
}

/** pods/status: the old spec stays; deletionTimestamp and ownerReferences cannot change here. */
export const podStatusStrategy: SubresourceStrategy = {
  prepareForUpdate(pod, old) {
    pod.spec = old.spec;
    delete pod.metadata.deletionTimestamp;
    if (old.metadata.ownerReferences === undefined) delete pod.metadata.ownerReferences;
    else pod.metadata.ownerReferences = old.metadata.ownerReferences;
    pod.status ??= {};
    if (!pod.status.qosClass && old.status?.qosClass) pod.status.qosClass = old.status.qosClass;
  },
  validateUpdate: (pod, old) => validatePodStatusUpdate(pod, old),
};
