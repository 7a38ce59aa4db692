import type { KubeObject } from './object.ts';
import { canonicalQuantity, isValidQuantity, parseQuantityExact } from './quantity.ts';

/**
 * Pod defaulting as kube-apiserver applies it on create (and on every decode): the `SetDefaults_*`
 * functions of core/v1, then the cheap mutating admission plugins (ServiceAccount name, Priority,
 * DefaultTolerationSeconds). Mutates in place; idempotent, so it is safe to run on update too.
 *
 *   const pod = { metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };
 *   defaultPod(pod);
 *   pod.spec.containers[0].imagePullPolicy; // 'Always' (no tag → latest)
 *   pod.spec.tolerations.length;            // 2 (not-ready, unreachable for 300s)
 *
 * Not done here: the projected `kube-api-access-xxxxx` service-account volume (cosmetic), status
 * (the registry's PrepareForCreate resets it to {phase: Pending, qosClass}).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = {
  'system-cluster-critical': 2000000000,
  'system-node-critical': 2000001000,
};

const isObj = (v: unknown): v is Record<string, Any> => typeof v === 'object' && v !== null && !Array.isArray(v);

// distribution/reference grammar, enough to tell a tag from a port and reject invalid names.
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domain = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?`;
const pathComponent = '[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*';
const nameRe = `(?:${domain}/)?${pathComponent}(?:/${pathComponent})*`;
const tagRe = '[\\w][\\w.-]{0,127}';
const digestRe = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const referenceRe = new RegExp(`^(${nameRe})(?::(${tagRe}))?(?:@(${digestRe}))?$`);

/** The tag kubelet/apiserver see for an image: `latest` when neither tag nor digest, '' if unparseable. */
export function imageTag(image: string): string {
  const m = referenceRe.exec(image ?? '');
  if (!m || m[1].length > 255) return '';
  const [, , tag, digest] = m;
  if (!tag && !digest) return 'latest';
  return tag ?? '';
}

/** `latest` (explicit or implied) → Always; any other tag, a bare digest, or a bad name → IfNotPresent. */
export const defaultPullPolicy = (image: string): 'Always' | 'IfNotPresent' =>
  imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';

function defaultHTTPGet(h: Any): void {
  if (!isObj(h)) return;
  if (!h.path) h.path = '/';
  if (!h.scheme) h.scheme = 'HTTP';
}

function defaultProbe(p: Any): void {
  if (!isObj(p)) return;
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
  defaultHTTPGet(p.httpGet);
}

function defaultFieldRef(ref: Any): void {
  if (isObj(ref) && !ref.apiVersion) ref.apiVersion = 'v1';
}

/** Rewrites valid quantities to the canonical form the API server returns; leaves bad ones for validation. */
function canonicalizeResourceList(list: Any): void {
  if (!isObj(list)) return;
  for (const [k, v] of Object.entries(list)) {
    if (isValidQuantity(v)) list[k] = canonicalQuantity(v as string | number);
  }
}

function defaultContainer(c: Any, hostNetwork: boolean, isPod: boolean): void {
  if (!isObj(c)) return;
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultPullPolicy(typeof c.image === 'string' ? c.image : '');
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log';
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  if (!isObj(c.resources)) c.resources = {};
  const res = c.resources;
  canonicalizeResourceList(res.limits);
  canonicalizeResourceList(res.requests);
  // SetDefaults_Pod: requests default to limits, per resource
  if (isPod && isObj(res.limits) && Object.keys(res.limits).length > 0) {
    if (!isObj(res.requests)) res.requests = {};
    for (const [k, v] of Object.entries(res.limits)) if (!(k in res.requests)) res.requests[k] = v;
  }
  if (Array.isArray(c.ports)) {
    for (const p of c.ports) {
      if (!isObj(p)) continue;
      if (!p.protocol) p.protocol = 'TCP';
      if (hostNetwork && !p.hostPort && p.containerPort) p.hostPort = p.containerPort;
    }
  }
  if (Array.isArray(c.env)) for (const e of c.env) if (isObj(e) && isObj(e.valueFrom)) defaultFieldRef(e.valueFrom.fieldRef);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    for (const h of [c.lifecycle.postStart, c.lifecycle.preStop]) if (isObj(h)) defaultHTTPGet(h.httpGet);
  }
}

const VOLUME_SOURCES = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'flocker', 'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'quobyte', 'downwardAPI', 'fc',
  'flexVolume', 'configMap', 'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk',
  'storageos', 'projected', 'scaleIO', 'csi', 'ephemeral', 'image',
] as const;

function defaultDownwardAPIItems(items: Any): void {
  if (Array.isArray(items)) for (const it of items) if (isObj(it)) defaultFieldRef(it.fieldRef);
}

function defaultVolume(v: Any): void {
  if (!isObj(v)) return;
  if (!VOLUME_SOURCES.some((s) => v[s] !== undefined && v[s] !== null)) v.emptyDir = {};
  for (const src of ['secret', 'configMap', 'downwardAPI', 'projected'] as const) {
    if (isObj(v[src]) && (v[src].defaultMode === undefined || v[src].defaultMode === null)) v[src].defaultMode = 420;
  }
  if (isObj(v.hostPath) && v.hostPath.type === undefined) v.hostPath.type = '';
  if (isObj(v.downwardAPI)) defaultDownwardAPIItems(v.downwardAPI.items);
  if (isObj(v.projected) && Array.isArray(v.projected.sources)) {
    for (const s of v.projected.sources) {
      if (!isObj(s)) continue;
      if (isObj(s.downwardAPI)) defaultDownwardAPIItems(s.downwardAPI.items);
      if (isObj(s.serviceAccountToken) && !s.serviceAccountToken.expirationSeconds) {
        s.serviceAccountToken.expirationSeconds = 3600;
      }
    }
  }
}

const NOT_READY_TOLERATION = {
  key: 'node.kubernetes.io/not-ready',
  operator: 'Exists',
  effect: 'NoExecute',
  tolerationSeconds: 300,
};
const UNREACHABLE_TOLERATION = {
  key: 'node.kubernetes.io/unreachable',
  operator: 'Exists',
  effect: 'NoExecute',
  tolerationSeconds: 300,
};

/** DefaultTolerationSeconds admission: appends the two NoExecute tolerations unless already covered. */
function admitDefaultTolerations(spec: Any): void {
  const tolerations: Any[] = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  const covers = (key: string) =>
    tolerations.some((t) => isObj(t) && (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'));
  const coversNotReady = covers(NOT_READY_TOLERATION.key);
  const coversUnreachable = covers(UNREACHABLE_TOLERATION.key);
  if (coversNotReady && coversUnreachable) return;
  if (!coversNotReady) tolerations.push({ ...NOT_READY_TOLERATION });
  if (!coversUnreachable) tolerations.push({ ...UNREACHABLE_TOLERATION });
  spec.tolerations = tolerations;
}

/** Priority admission for the classes that always exist. Unknown classes are left for the registry to refuse. */
function admitPriority(spec: Any): void {
  const cls: string = spec.priorityClassName ?? '';
  if (!cls) {
    if (spec.priority === undefined || spec.priority === null) spec.priority = 0;
    if (!spec.preemptionPolicy) spec.preemptionPolicy = 'PreemptLowerPriority';
    return;
  }
  const value = SYSTEM_PRIORITY_CLASSES[cls];
  if (value !== undefined) {
    if (spec.priority === undefined || spec.priority === null) spec.priority = value;
    if (!spec.preemptionPolicy) spec.preemptionPolicy = 'PreemptLowerPriority';
  }
}

/**
 * The 403 reason Priority admission would give, or undefined. Call before defaultPod on create:
 * `forbiddenError('pods', name, reason)`.
 */
export function podPriorityAdmissionError(pod: KubeObject): string | undefined {
  const spec = isObj(pod.spec) ? pod.spec : {};
  const cls: string = spec.priorityClassName ?? '';
  const computed = cls ? SYSTEM_PRIORITY_CLASSES[cls] : 0;
  if (computed === undefined) return `no PriorityClass with name ${cls} was found`;
  if (typeof spec.priority === 'number' && spec.priority !== computed) {
    return `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${computed} from the given PriorityClass name`;
  }
  if (spec.preemptionPolicy && spec.preemptionPolicy !== 'PreemptLowerPriority') {
    return `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name`;
  }
  return undefined;
}

/**
 * The v1 ⇄ internal conversion keeps the singular and plural IP fields in step: when both are given and
 * differ the singular one wins, a lone singular fills the plural, and the singular is always the first
 * plural entry on the way out (`podIP`/`podIPs`, `hostIP`/`hostIPs`). Runs as part of defaultPod;
 * exported for the status subresource.
 */
export function syncPodStatusIPs(status: Any): void {
  if (!isObj(status)) return;
  for (const [one, many] of [['podIP', 'podIPs'], ['hostIP', 'hostIPs']] as const) {
    const single: string = typeof status[one] === 'string' ? status[one] : '';
    const list: Any[] = Array.isArray(status[many]) ? status[many] : [];
    if (single && (list.length === 0 || list[0]?.ip !== single)) status[many] = [{ ip: single }];
    const first = Array.isArray(status[many]) && status[many].length > 0 ? status[many][0]?.ip : undefined;
    if (first) status[one] = first;
  }
}

/** Applies all Pod defaults in place (see module comment). */
export function defaultPod(pod: KubeObject): void {
  if (!isObj(pod.spec)) pod.spec = {};
  const spec = pod.spec;

  // SetDefaults_PodSpec
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (!isObj(spec.securityContext)) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) {
    spec.terminationGracePeriodSeconds = 30;
  }
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  // SetDefaults_Pod
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;

  const hostNetwork = spec.hostNetwork === true;
  for (const list of [spec.containers, spec.initContainers]) {
    if (Array.isArray(list)) for (const c of list) defaultContainer(c, hostNetwork, true);
  }
  if (Array.isArray(spec.ephemeralContainers)) for (const c of spec.ephemeralContainers) defaultContainer(c, false, false);
  if (Array.isArray(spec.volumes)) for (const v of spec.volumes) defaultVolume(v);
  if (isObj(spec.overhead)) canonicalizeResourceList(spec.overhead);

  // ServiceAccount admission (+ v1 conversion keeps the deprecated serviceAccount in step)
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (!spec.serviceAccountName) spec.serviceAccountName = 'default';
  spec.serviceAccount = spec.serviceAccountName;

  admitPriority(spec);
  admitDefaultTolerations(spec);
  syncPodStatusIPs(pod.status);
}

// --- QoS ------------------------------------------------------------------------------------

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** Sum of the positive, parseable cpu/memory quantities of one list into `into`; returns names found. */
function accumulate(list: Any, into: Map<string, bigint>): Set<string> {
  const found = new Set<string>();
  if (!isObj(list)) return found;
  for (const name of ['cpu', 'memory']) {
    if (!(name in list)) continue;
    let nanos: bigint;
    try {
      nanos = parseQuantityExact(list[name]).nanos;
    } catch {
      continue;
    }
    if (nanos <= 0n) continue;
    found.add(name);
    into.set(name, (into.get(name) ?? 0n) + nanos);
  }
  return found;
}

/**
 * The pod's QoS class (component-helpers qos.ComputePodQOS), over containers and init containers:
 * BestEffort with no cpu/memory requests or limits at all; Guaranteed when every container limits both
 * cpu and memory and the summed requests equal the summed limits; otherwise Burstable.
 */
export function computeQosClass(pod: KubeObject): QosClass {
  const spec = isObj(pod.spec) ? pod.spec : {};
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  const all = [...(Array.isArray(spec.containers) ? spec.containers : []), ...(Array.isArray(spec.initContainers) ? spec.initContainers : [])];
  for (const c of all) {
    const res = isObj(c) && isObj(c.resources) ? c.resources : {};
    accumulate(res.requests, requests);
    const limited = accumulate(res.limits, limits);
    if (!limited.has('cpu') || !limited.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      if (limits.get(name) !== req) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
