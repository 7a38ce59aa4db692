import type { FieldError } from '../machinery/field-error.ts';
import { invalid, required } from '../machinery/field-error.ts';
import type { KubeObject } from './object.ts';
import { isDNS1123Subdomain, isQualifiedName } from './name-validation.ts';

/**
 * core/v1 Event validation (the "legacy" rules Kubernetes applies to every Event it accepts through
 * /api/v1). Note that core/v1 applies no other ObjectMeta rules to Events; a missing name is a 400
 * `Name parameter required.` upstream, reported here as `metadata.name: Required value` so that it is
 * refused either way.
 *
 *   validateEvent({ metadata: { name: 'e', namespace: 'a' }, involvedObject: { namespace: 'b' } })
 *   // [involvedObject.namespace: Invalid value: "b": does not match event.namespace]
 */
export const REPORTING_INSTANCE_LENGTH_LIMIT = 128;
export const ACTION_LENGTH_LIMIT = 128;
export const REASON_LENGTH_LIMIT = 128;
export const NOTE_LENGTH_LIMIT = 1024;

const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const len = (v: string) => Buffer.byteLength(v, 'utf8');

export function validateEvent(event: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!event.metadata?.name) errs.push(required('metadata.name', 'name or generateName is required'));
  const ns = s(event.metadata?.namespace);
  const involvedNs = s(event.involvedObject?.namespace);
  const eventTime = event.eventTime;
  if (!eventTime) {
    if (!involvedNs) {
      if (ns !== '' && ns !== 'default') errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    } else if (ns !== involvedNs) {
      errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    }
  } else {
    if (!involvedNs && ns !== 'default' && ns !== 'kube-system') {
      errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    }
    const controller = s(event.reportingComponent);
    if (!controller) errs.push(required('reportingController'));
    for (const msg of isQualifiedName(controller)) errs.push(invalid('reportingController', controller, msg));
    const instance = s(event.reportingInstance);
    if (!instance) errs.push(required('reportingInstance'));
    if (len(instance) > REPORTING_INSTANCE_LENGTH_LIMIT) {
      errs.push(invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LENGTH_LIMIT} characters`));
    }
    const action = s(event.action);
    if (!action) errs.push(required('action'));
    if (len(action) > ACTION_LENGTH_LIMIT) errs.push(invalid('action', '', `can have at most ${ACTION_LENGTH_LIMIT} characters`));
    const reason = s(event.reason);
    if (!reason) errs.push(required('reason'));
    if (len(reason) > REASON_LENGTH_LIMIT) errs.push(invalid('reason', '', `can have at most ${REASON_LENGTH_LIMIT} characters`));
    if (len(s(event.message)) > NOTE_LENGTH_LIMIT) errs.push(invalid('message', '', `can have at most ${NOTE_LENGTH_LIMIT} characters`));
  }
  for (const msg of isDNS1123Subdomain(ns)) errs.push(invalid('namespace', ns, msg));
  return errs;
}

/** Updates through /api/v1 get the same legacy checks only (no immutability), as upstream. */
export const validateEventUpdate = (event: KubeObject, _old: KubeObject): FieldError[] => validateEvent(event);
