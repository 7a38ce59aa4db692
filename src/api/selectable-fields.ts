/**
 * The fields each kind can be listed and watched by (`?fieldSelector=`), and their values for one object.
 * Mirrors the registries' ToSelectableFields (pkg/registry/core/{pod,event,node,namespace}/strategy.go) and the
 * field-label conversions in pkg/apis/core/v1/conversion.go:
 *
 *   selectableFields('pods', pod)['spec.nodeName']   // '' for an unscheduled pod
 *
 * Values are strings as upstream renders them: booleans as "true"/"false", absent fields as "".
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const bool = (v: unknown): string => (v === true ? 'true' : 'false');

const supported: Record<string, readonly string[]> = {
  pods: [
    'metadata.name',
    'metadata.namespace',
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
    // Old v1 clients' name for spec.nodeName; upstream converts it, here it simply carries the same value.
    'spec.host',
  ],
  events: [
    'metadata.name',
    'metadata.namespace',
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  nodes: ['metadata.name', 'spec.unschedulable'],
  namespaces: ['metadata.name', 'status.phase'],
  leases: ['metadata.name', 'metadata.namespace'],
};

/**
 * Kinds with their own field-label conversion upstream (pkg/apis/core/v1/conversion.go). The rest use the generic
 * metadata.name/metadata.namespace conversion, which words its refusal differently.
 */
export const hasOwnFieldLabelConversion = (plural: string): boolean =>
  plural === 'pods' || plural === 'events' || plural === 'nodes' || plural === 'namespaces';

/** Field labels `plural` accepts in a field selector. Unknown resources get the generic metadata pair. */
export function supportedFieldLabels(plural: string): string[] {
  return [...(supported[plural] ?? ['metadata.name', 'metadata.namespace'])];
}

/** The field set of one object, to match with `matchesFields`. */
export function selectableFields(plural: string, obj: Obj): Record<string, string> {
  const meta: Obj = obj.metadata ?? {};
  const spec: Obj = obj.spec ?? {};
  const status: Obj = obj.status ?? {};
  switch (plural) {
    case 'pods': {
      // Upstream reads the first of status.podIPs; a v1 object may carry only status.podIP.
      const podIPs: Obj[] = Array.isArray(status.podIPs) ? status.podIPs : [];
      const podIP = podIPs.length > 0 ? str(podIPs[0]?.ip) : str(status.podIP);
      return {
        'metadata.name': str(meta.name),
        'metadata.namespace': str(meta.namespace),
        'spec.nodeName': str(spec.nodeName),
        'spec.host': str(spec.nodeName),
        'spec.restartPolicy': str(spec.restartPolicy),
        'spec.schedulerName': str(spec.schedulerName),
        'spec.serviceAccountName': str(spec.serviceAccountName),
        'spec.hostNetwork': bool(spec.hostNetwork),
        'status.phase': str(status.phase),
        'status.podIP': podIP,
        'status.nominatedNodeName': str(status.nominatedNodeName),
      };
    }
    case 'events': {
      const io: Obj = obj.involvedObject ?? {};
      return {
        'metadata.name': str(meta.name),
        'metadata.namespace': str(meta.namespace),
        'involvedObject.kind': str(io.kind),
        'involvedObject.namespace': str(io.namespace),
        'involvedObject.name': str(io.name),
        'involvedObject.uid': str(io.uid),
        'involvedObject.apiVersion': str(io.apiVersion),
        'involvedObject.resourceVersion': str(io.resourceVersion),
        'involvedObject.fieldPath': str(io.fieldPath),
        reason: str(obj.reason),
        reportingComponent: str(obj.reportingComponent),
        // Events written by the events.k8s.io recorder have no source.component; upstream falls back.
        source: str(obj.source?.component) || str(obj.reportingComponent),
        type: str(obj.type),
      };
    }
    case 'nodes':
      return { 'metadata.name': str(meta.name), 'spec.unschedulable': bool(spec.unschedulable) };
    case 'namespaces':
      return { 'metadata.name': str(meta.name), 'status.phase': str(status.phase) };
    default:
      return { 'metadata.name': str(meta.name), 'metadata.namespace': str(meta.namespace) };
  }
}
