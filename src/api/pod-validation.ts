import { isIP } from 'node:net';
import type { FieldError } from '../machinery/field-error.ts';
import { duplicate, forbidden, invalid, notFound, notSupported, required } from '../machinery/field-error.ts';
import type { KubeObject } from './object.ts';
import { invalidRendered, validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './meta-validation.ts';
import {
  inclusiveRangeError,
  isDNS1123Label,
  isHTTPHeaderName,
  isQualifiedName,
  isRelaxedEnvVarName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  nameIsDNSSubdomain,
  regexError,
  maxLenError,
} from './name-validation.ts';
import { computeQosClass } from './pod-defaults.ts';
import { formatQuantity, parseQuantityExact, QuantityError, quantityError } from './quantity.ts';

/**
 * Pod validation as kube-apiserver 1.32 does it (`pkg/apis/core/validation`), on the defaulted object.
 * Every message is Kubernetes' own wording; field paths look like `spec.containers[0].ports[1].name`.
 *
 *   const errs = validatePod(pod);
 *   if (errs.length) throw invalidError('Pod', pod.metadata.name, errs);
 *
 * A quantity that does not parse is, in Kubernetes, a decode error (400) rather than a 422: call
 * `podDecodeError(pod)` first and answer `badRequestError(msg)` when it returns one. validatePod still
 * reports such quantities as Invalid so they can never slip through.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const isObj = (v: unknown): v is Record<string, Any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): Any[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const isSet = (v: unknown): boolean => v !== undefined && v !== null;

const MAX_INT32 = 2147483647;
const IS_NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0';
const FILE_MODE_ERROR_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';
const INVALID_IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

// ============================================================================================
// Quantities
// ============================================================================================

const RESOURCE_LIST_PATHS = ['limits', 'requests'] as const;

/** The 400 Kubernetes gives while decoding a pod whose quantities do not parse, or undefined. */
export function podDecodeError(pod: KubeObject): string | undefined {
  const spec = isObj(pod.spec) ? pod.spec : {};
  const lists: Any[] = [spec.overhead];
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers), ...arr(spec.ephemeralContainers)]) {
    if (isObj(c) && isObj(c.resources)) for (const k of RESOURCE_LIST_PATHS) lists.push(c.resources[k]);
  }
  for (const v of arr(spec.volumes)) if (isObj(v) && isObj(v.emptyDir) && isSet(v.emptyDir.sizeLimit)) lists.push({ s: v.emptyDir.sizeLimit });
  for (const list of lists) {
    if (!isObj(list)) continue;
    for (const q of Object.values(list)) {
      const msg = quantityError(q);
      if (msg) return `Pod in version "v1" cannot be handled as a Pod: ${msg}`;
    }
  }
  return undefined;
}

/** Canonical string of a quantity for messages; the raw text if it does not parse. */
const qString = (q: unknown): string => {
  try {
    return formatQuantity(parseQuantityExact(q as string | number));
  } catch {
    return str(q);
  }
};

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const isHugePages = (name: string) => name.startsWith('hugepages-');
const isNativeResource = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');
const isOvercommitAllowed = (name: string) => isNativeResource(name) && !isHugePages(name);

function validateResourceName(name: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const msg of isQualifiedName(name)) errs.push(invalid(path, name, msg));
  if (errs.length > 0) return errs;
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) {
      errs.push(invalid(path, name, 'must be a standard resource for containers'));
    }
  } else if (!isNativeResource(name)) {
    // extended resources: domain-prefixed, not kubernetes.io, and not requests.-prefixed
    if (name.startsWith('requests.')) errs.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

function validateQuantityValue(name: string, q: unknown, path: string): FieldError[] {
  const bad = quantityError(q);
  if (bad) return [invalid(path, typeof q === 'string' ? q : str(q), bad)];
  const { nanos } = parseQuantityExact(q as string | number);
  const errs: FieldError[] = [];
  if (nanos < 0n) errs.push(invalid(path, qString(q), IS_NEGATIVE_ERROR_MSG));
  // extended (non-native) resources must be whole numbers
  if (!isNativeResource(name) && nanos % 1_000_000_000n !== 0n) errs.push(invalid(path, qString(q), 'must be an integer'));
  return errs;
}

function validateResourceRequirements(resources: Any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(resources)) return errs;
  const limits = isObj(resources.limits) ? resources.limits : {};
  const requests = isObj(resources.requests) ? resources.requests : {};
  const limPath = `${path}.limits`;
  const reqPath = `${path}.requests`;
  for (const [name, q] of Object.entries(limits)) {
    const p = `${limPath}[${name}]`;
    errs.push(...validateResourceName(name, p));
    errs.push(...validateQuantityValue(name, q, p));
  }
  for (const [name, q] of Object.entries(requests)) {
    const p = `${reqPath}[${name}]`;
    errs.push(...validateResourceName(name, p));
    errs.push(...validateQuantityValue(name, q, p));
    if (name in limits) {
      if (quantityError(q) || quantityError(limits[name])) continue;
      const cmp = parseQuantityExact(q as string | number).nanos - parseQuantityExact(limits[name]).nanos;
      if (cmp !== 0n && !isOvercommitAllowed(name)) {
        errs.push(invalid(reqPath, qString(q), `must be equal to ${name} limit of ${qString(limits[name])}`));
      } else if (cmp > 0n) {
        errs.push(invalid(reqPath, qString(q), `must be less than or equal to ${name} limit of ${qString(limits[name])}`));
      }
    } else if (!isOvercommitAllowed(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}

// ============================================================================================
// Volumes
// ============================================================================================

/** Volume source fields in the order Kubernetes checks them, with the path child it reports. */
const VOLUME_SOURCES: ReadonlyArray<readonly [key: string, errPath: string]> = [
  ['emptyDir', 'emptyDir'], ['hostPath', 'hostPath'], ['gitRepo', 'gitRepo'], ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'], ['secret', 'secret'], ['nfs', 'nfs'], ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'], ['flocker', 'flocker'], ['persistentVolumeClaim', 'persistentVolumeClaim'], ['rbd', 'rbd'],
  ['cinder', 'cinder'], ['cephfs', 'cephFS'], ['quobyte', 'quobyte'], ['downwardAPI', 'downwarAPI'], ['fc', 'fc'],
  ['flexVolume', 'flexVolume'], ['configMap', 'configMap'], ['azureFile', 'azureFile'], ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'], ['portworxVolume', 'portworxVolume'], ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'], ['projected', 'projected'], ['scaleIO', 'scaleIO'], ['csi', 'csi'], ['ephemeral', 'ephemeral'],
  ['image', 'image'],
];

const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const VOLUME_DOWNWARD_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const ENV_DOWNWARD_FIELD_PATHS = [
  'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName',
  'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];
const CONTAINER_RESOURCE_FIELD_PATHS = [
  'limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory',
];
const DOWNWARD_API_LABELS = new Set([
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName',
  'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName', 'status.phase', 'status.hostIP', 'status.hostIPs',
  'status.podIP', 'status.podIPs',
]);

const hasBackstep = (p: string) => p.replace(/\\/g, '/').split('/').includes('..');

function validatePathNoBacksteps(p: string, path: string): FieldError[] {
  return hasBackstep(p) ? [invalid(path, p, "must not contain '..'")] : [];
}

function validateLocalDescendingPath(p: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.startsWith('/')) errs.push(invalid(path, p, 'must be a relative path'));
  errs.push(...validatePathNoBacksteps(p, path));
  return errs;
}

function validateLocalNonReservedPath(p: string, path: string): FieldError[] {
  const errs = validateLocalDescendingPath(p, path);
  if (p.startsWith('..') && !p.startsWith('../')) errs.push(invalid(path, p, "must not start with '..'"));
  return errs;
}

function validateFileMode(mode: unknown, path: string): FieldError[] {
  if (!isSet(mode)) return [];
  const m = Number(mode);
  return m > 0o777 || m < 0 ? [invalid(path, m, FILE_MODE_ERROR_MSG)] : [];
}

function validateKeyToPath(kp: Any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(kp?.key)) errs.push(required(`${path}.key`));
  if (!str(kp?.path)) errs.push(required(`${path}.path`));
  errs.push(...validateLocalNonReservedPath(str(kp?.path), `${path}.path`));
  errs.push(...validateFileMode(kp?.mode, `${path}.mode`));
  return errs;
}

/** fieldpath.SplitMaybeSubscriptedPath: `metadata.labels['app']` → ['metadata.labels', 'app']. */
function splitSubscript(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const s = fieldPath.slice(0, -2);
  const i = s.indexOf("['");
  if (i <= 0) return undefined;
  return [s.slice(0, i), s.slice(i + 2)];
}

function validateObjectFieldSelector(fs: Any, expressions: readonly string[], path: string): FieldError[] {
  const apiVersion = str(fs?.apiVersion);
  const fieldPath = str(fs?.fieldPath);
  if (!apiVersion) return [required(`${path}.apiVersion`)];
  if (!fieldPath) return [required(`${path}.fieldPath`)];
  let convErr: string | undefined;
  const sub = splitSubscript(fieldPath);
  if (apiVersion !== 'v1') convErr = `unsupported pod version: ${apiVersion}`;
  else if (sub) {
    if (sub[0] !== 'metadata.annotations' && sub[0] !== 'metadata.labels') convErr = `field label does not support subscript: ${fieldPath}`;
  } else if (!DOWNWARD_API_LABELS.has(fieldPath)) convErr = `field label not supported: ${fieldPath}`;
  if (convErr) return [invalid(`${path}.fieldPath`, fieldPath, `error converting fieldPath: ${convErr}`)];
  if (sub) {
    const key = sub[0] === 'metadata.annotations' ? sub[1].toLowerCase() : sub[1];
    return isQualifiedName(key).map((msg) => invalid(path, key, msg));
  }
  if (!expressions.includes(fieldPath)) return [notSupported(`${path}.fieldPath`, fieldPath, expressions)];
  return [];
}

function validateResourceFieldSelector(fs: Any, path: string, volume: boolean): FieldError[] {
  const resource = str(fs?.resource);
  if (volume && !str(fs?.containerName)) return [required(`${path}.containerName`)];
  if (!resource) return [required(`${path}.resource`)];
  if (!CONTAINER_RESOURCE_FIELD_PATHS.includes(resource) && !/^(requests|limits)\.hugepages-/.test(resource)) {
    return [notSupported(`${path}.resource`, resource, CONTAINER_RESOURCE_FIELD_PATHS)];
  }
  return [];
}

function validateDownwardAPIVolumeFile(file: Any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(file?.path)) errs.push(required(`${path}.path`));
  errs.push(...validateLocalNonReservedPath(str(file?.path), `${path}.path`));
  if (isObj(file?.fieldRef)) {
    errs.push(...validateObjectFieldSelector(file.fieldRef, VOLUME_DOWNWARD_FIELD_PATHS, `${path}.fieldRef`));
    if (isObj(file.resourceFieldRef)) errs.push(invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (isObj(file?.resourceFieldRef)) {
    errs.push(...validateResourceFieldSelector(file.resourceFieldRef, `${path}.resourceFieldRef`, true));
  } else {
    errs.push(required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  errs.push(...validateFileMode(file?.mode, `${path}.mode`));
  return errs;
}

function validateProjected(src: Any, path: string): FieldError[] {
  const errs = validateFileMode(src.defaultMode, `${path}.defaultMode`);
  const seen = new Set<string>();
  const claimPath = (p: string, name: string) => {
    if (!p) return;
    if (seen.has(p)) errs.push(invalid(path, name, 'conflicting duplicate paths'));
    else seen.add(p);
  };
  arr(src.sources).forEach((s: Any, i: number) => {
    const sp = `${path}.sources[${i}]`;
    let n = 0;
    for (const kind of ['secret', 'configMap'] as const) {
      if (!isObj(s?.[kind])) continue;
      n++;
      if (!str(s[kind].name)) errs.push(required(`${sp}.${kind}.name`));
      arr(s[kind].items).forEach((kp: Any, j: number) => {
        errs.push(...validateKeyToPath(kp, `${sp}.${kind}.items[${j}]`));
        claimPath(str(kp?.path), str(s[kind].name));
      });
    }
    if (isObj(s?.downwardAPI)) {
      n++;
      for (const f of arr(s.downwardAPI.items)) {
        errs.push(...validateDownwardAPIVolumeFile(f, `${sp}.downwardAPI`));
        claimPath(str(f?.path), str(f?.path));
      }
    }
    if (isObj(s?.serviceAccountToken)) {
      n++;
      const t = s.serviceAccountToken;
      const exp = Number(t.expirationSeconds ?? 0);
      if (exp < 600) errs.push(invalid(`${sp}.serviceAccountToken.expirationSeconds`, exp, 'may not specify a duration less than 10 minutes'));
      if (exp > 2 ** 32) errs.push(invalid(`${sp}.serviceAccountToken.expirationSeconds`, exp, 'may not specify a duration larger than 2^32 seconds'));
      if (!str(t.path)) errs.push(required(`${path}.path`));
      else errs.push(...validateLocalNonReservedPath(str(t.path), `${path}.path`));
    }
    if (isObj(s?.clusterTrustBundle)) n++;
    if (n > 1) errs.push(forbidden(sp, 'may not specify more than 1 volume type per source'));
  });
  return errs;
}

function validateVolumeSourceFields(key: string, src: Any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(src)) return errs;
  switch (key) {
    case 'emptyDir':
      if (isSet(src.sizeLimit) && !quantityError(src.sizeLimit) && parseQuantityExact(src.sizeLimit).nanos < 0n) {
        errs.push(forbidden(`${path}.sizeLimit`, 'SizeLimit field must be a valid resource quantity'));
      }
      break;
    case 'hostPath':
      if (!str(src.path)) return [required(`${path}.path`)];
      errs.push(...validatePathNoBacksteps(str(src.path), `${path}.path`));
      if (isSet(src.type) && !HOST_PATH_TYPES.includes(str(src.type))) errs.push(notSupported(`${path}.type`, src.type, HOST_PATH_TYPES));
      break;
    case 'secret':
      if (!str(src.secretName)) errs.push(required(`${path}.secretName`));
      errs.push(...validateFileMode(src.defaultMode, `${path}.defaultMode`));
      arr(src.items).forEach((kp: Any, i: number) => errs.push(...validateKeyToPath(kp, `${path}.items[${i}]`)));
      break;
    case 'configMap':
      if (!str(src.name)) errs.push(required(`${path}.name`));
      errs.push(...validateFileMode(src.defaultMode, `${path}.defaultMode`));
      arr(src.items).forEach((kp: Any, i: number) => errs.push(...validateKeyToPath(kp, `${path}.items[${i}]`)));
      break;
    case 'persistentVolumeClaim':
      if (!str(src.claimName)) errs.push(required(`${path}.claimName`));
      break;
    case 'nfs':
      if (!str(src.server)) errs.push(required(`${path}.server`));
      if (!str(src.path)) errs.push(required(`${path}.path`));
      if (!str(src.path).startsWith('/')) errs.push(invalid(`${path}.path`, str(src.path), 'must be an absolute path'));
      break;
    case 'downwardAPI':
      errs.push(...validateFileMode(src.defaultMode, `${path}.defaultMode`));
      for (const f of arr(src.items)) errs.push(...validateDownwardAPIVolumeFile(f, path));
      break;
    case 'projected':
      errs.push(...validateProjected(src, path));
      break;
    case 'gitRepo':
      if (!str(src.repository)) errs.push(required(`${path}.repository`));
      errs.push(...validateLocalDescendingPath(str(src.directory), `${path}.directory`));
      break;
    case 'csi':
      if (!str(src.driver)) errs.push(required(`${path}.driver`));
      break;
  }
  return errs;
}

function validateVolumeSource(v: Any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const [key, errKey] of VOLUME_SOURCES) {
    if (!isSet(v?.[key])) continue;
    if (n > 0) {
      errs.push(forbidden(`${path}.${errKey}`, 'may not specify more than 1 volume type'));
      continue;
    }
    n++;
    errs.push(...validateVolumeSourceFields(key, v[key], `${path}.${key}`));
  }
  if (n === 0) errs.push(required(path, 'must specify a volume type'));
  return errs;
}

/** Returns the names of the volumes that validated (mounts may only reference those) and the errors. */
function validateVolumes(volumes: Any[], path: string): { names: Set<string>; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  volumes.forEach((v, i) => {
    const idx = `${path}[${i}]`;
    const name = str(v?.name);
    const el = validateVolumeSource(v, idx);
    if (!name) el.push(required(`${idx}.name`));
    else for (const msg of isDNS1123Label(name)) el.push(invalid(`${idx}.name`, name, msg));
    if (names.has(name)) el.push(duplicate(`${idx}.name`, name));
    if (el.length === 0) names.add(name);
    else errs.push(...el);
  });
  return { names, errs };
}

// ============================================================================================
// Containers
// ============================================================================================

function validatePorts(ports: Any[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const idx = `${path}[${i}]`;
    const name = str(port?.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length > 0) for (const msg of msgs) errs.push(invalid(`${idx}.name`, name, msg));
      else if (names.has(name)) errs.push(duplicate(`${idx}.name`, name));
      else names.add(name);
    }
    const cp = Number(port?.containerPort ?? 0);
    if (!cp) errs.push(required(`${idx}.containerPort`));
    else for (const msg of isValidPortNum(cp)) errs.push(invalid(`${idx}.containerPort`, cp, msg));
    const hp = Number(port?.hostPort ?? 0);
    if (hp) for (const msg of isValidPortNum(hp)) errs.push(invalid(`${idx}.hostPort`, hp, msg));
    const proto = str(port?.protocol);
    if (!proto) errs.push(required(`${idx}.protocol`));
    else if (!['SCTP', 'TCP', 'UDP'].includes(proto)) errs.push(notSupported(`${idx}.protocol`, proto, ['SCTP', 'TCP', 'UDP']));
  });
  return errs;
}

function validateKeySelector(s: Any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(s?.name);
  for (const msg of nameIsDNSSubdomain(name)) errs.push(invalid(`${path}.name`, name, msg));
  const key = str(s?.key);
  if (!key) errs.push(required(`${path}.key`));
  else errs.push(...isConfigMapKey(key).map((msg) => invalid(`${path}.key`, key, msg)));
  return errs;
}

function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (Buffer.byteLength(value) > 253) errs.push(maxLenError(253));
  if (!/^[-._a-zA-Z0-9]+$/.test(value)) {
    errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", '[-._a-zA-Z0-9]+', 'key.name', 'KEY_NAME', 'key-name'));
  }
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

function validateEnv(env: Any[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  env.forEach((ev, i) => {
    const idx = `${path}[${i}]`;
    const name = str(ev?.name);
    if (!name) errs.push(required(`${idx}.name`));
    else for (const msg of isRelaxedEnvVarName(name)) errs.push(invalid(`${idx}.name`, name, msg));
    const vf = ev?.valueFrom;
    if (!isObj(vf)) return;
    const vp = `${idx}.valueFrom`;
    let n = 0;
    if (isObj(vf.fieldRef)) {
      n++;
      errs.push(...validateObjectFieldSelector(vf.fieldRef, ENV_DOWNWARD_FIELD_PATHS, `${vp}.fieldRef`));
    }
    if (isObj(vf.resourceFieldRef)) {
      n++;
      errs.push(...validateResourceFieldSelector(vf.resourceFieldRef, `${vp}.resourceFieldRef`, false));
    }
    if (isObj(vf.configMapKeyRef)) {
      n++;
      errs.push(...validateKeySelector(vf.configMapKeyRef, `${vp}.configMapKeyRef`));
    }
    if (isObj(vf.secretKeyRef)) {
      n++;
      errs.push(...validateKeySelector(vf.secretKeyRef, `${vp}.secretKeyRef`));
    }
    if (n === 0) errs.push(invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (str(ev.value)) errs.push(invalid(vp, '', 'may not be specified when `value` is not empty'));
    else if (n > 1) errs.push(invalid(vp, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateEnvFrom(envFrom: Any[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  envFrom.forEach((ev, i) => {
    const idx = `${path}[${i}]`;
    const prefix = str(ev?.prefix);
    if (prefix) for (const msg of isRelaxedEnvVarName(prefix)) errs.push(invalid(`${idx}.prefix`, prefix, msg));
    let n = 0;
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      if (!isObj(ev?.[kind])) continue;
      n++;
      const name = str(ev[kind].name);
      if (!name) errs.push(required(`${idx}.${kind}.name`));
      else for (const msg of nameIsDNSSubdomain(name, true)) errs.push(invalid(`${idx}.${kind}.name`, name, msg));
    }
    if (n === 0) errs.push(invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateVolumeMounts(mounts: Any[], volumes: Set<string>, container: Any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  const privileged = isObj(container?.securityContext) && container.securityContext.privileged === true;
  mounts.forEach((m, i) => {
    const idx = `${path}[${i}]`;
    const name = str(m?.name);
    const mountPath = str(m?.mountPath);
    if (!name) errs.push(required(`${idx}.name`));
    if (!volumes.has(name)) errs.push(notFound(`${idx}.name`, name));
    if (!mountPath) errs.push(required(`${idx}.mountPath`));
    if (mountPoints.has(mountPath)) errs.push(invalid(`${idx}.mountPath`, mountPath, 'must be unique'));
    mountPoints.add(mountPath);
    const subPath = str(m?.subPath);
    const subPathExpr = str(m?.subPathExpr);
    if (subPath) errs.push(...validateLocalDescendingPath(subPath, `${path}.subPath`));
    if (subPathExpr) {
      if (subPath) errs.push(invalid(`${idx}.subPathExpr`, subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(subPathExpr, `${path}.subPathExpr`));
    }
    if (isSet(m?.mountPropagation)) {
      const mp = str(m.mountPropagation);
      const supported = ['Bidirectional', 'HostToContainer', 'None'];
      if (!supported.includes(mp)) errs.push(notSupported(`${path}.mountPropagation`, mp, supported));
      if (mp === 'Bidirectional' && !privileged) {
        errs.push(forbidden(`${path}.mountPropagation`, 'Bidirectional mount propagation is available only to privileged containers'));
      }
    }
    if (isSet(m?.recursiveReadOnly)) {
      const rro = str(m.recursiveReadOnly);
      const rp = `${path}.recursiveReadOnly`;
      if (rro === 'Enabled' || rro === 'IfPossible') {
        if (m.readOnly !== true) errs.push(forbidden(rp, 'may only be specified when readOnly is true'));
        if (isSet(m.mountPropagation) && m.mountPropagation !== 'None') {
          errs.push(forbidden(rp, 'may only be specified when mountPropagation is None or not specified'));
        }
      } else if (rro !== 'Disabled') errs.push(notSupported(rp, rro, ['Disabled', 'Enabled', 'IfPossible']));
    }
  });
  return errs;
}

function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((msg) => invalid(path, port, msg));
  if (typeof port === 'string') return isValidPortName(port).map((msg) => invalid(path, port, msg));
  return isValidPortNum(0).map((msg) => invalid(path, 0, msg));
}

function validateHandler(h: Any, gracePeriod: number | undefined, path: string, isProbe: boolean): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  const kinds = isProbe ? (['exec', 'httpGet', 'tcpSocket', 'grpc'] as const) : (['exec', 'httpGet', 'tcpSocket', 'sleep'] as const);
  for (const kind of kinds) {
    if (!isObj(h?.[kind])) continue;
    const p = `${path}.${kind}`;
    if (n > 0) {
      errs.push(forbidden(p, 'may not specify more than 1 handler type'));
      continue;
    }
    n++;
    const a = h[kind];
    switch (kind) {
      case 'exec':
        if (arr(a.command).length === 0) errs.push(required(`${p}.command`));
        break;
      case 'httpGet':
        if (!str(a.path)) errs.push(required(`${p}.path`));
        errs.push(...validatePortNumOrName(a.port, `${p}.port`));
        if (!['HTTP', 'HTTPS'].includes(str(a.scheme))) errs.push(notSupported(`${p}.scheme`, str(a.scheme), ['HTTP', 'HTTPS']));
        for (const hdr of arr(a.httpHeaders)) {
          for (const msg of isHTTPHeaderName(str(hdr?.name))) errs.push(invalid(`${p}.httpHeaders`, str(hdr?.name), msg));
        }
        break;
      case 'tcpSocket':
        errs.push(...validatePortNumOrName(a.port, `${p}.port`));
        break;
      case 'grpc':
        errs.push(...validatePortNumOrName(Number(a.port ?? 0), `${p}.port`));
        break;
      case 'sleep': {
        const secs = Number(a.seconds ?? 0);
        if (gracePeriod !== undefined && (secs <= 0 || secs > gracePeriod)) {
          errs.push(
            invalid(
              p,
              secs,
              `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
            ),
          );
        }
        break;
      }
    }
  }
  if (n === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

function validateProbe(probe: Any, gracePeriod: number | undefined, path: string, kind: 'liveness' | 'readiness' | 'startup'): FieldError[] {
  if (!isObj(probe)) return [];
  const errs = validateHandler(probe, gracePeriod, path, true);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    const v = Number(probe[f] ?? 0);
    if (v < 0) errs.push(invalid(`${path}.${f}`, v, IS_NEGATIVE_ERROR_MSG));
  }
  if (isSet(probe.terminationGracePeriodSeconds) && Number(probe.terminationGracePeriodSeconds) <= 0) {
    errs.push(invalid(`${path}.terminationGracePeriodSeconds`, Number(probe.terminationGracePeriodSeconds), 'must be greater than 0'));
  }
  if (kind !== 'readiness' && Number(probe.successThreshold ?? 0) !== 1) {
    errs.push(invalid(`${path}.successThreshold`, Number(probe.successThreshold ?? 0), 'must be 1'));
  }
  if (kind === 'readiness' && isSet(probe.terminationGracePeriodSeconds)) {
    errs.push(invalid(`${path}.terminationGracePeriodSeconds`, Number(probe.terminationGracePeriodSeconds), 'must not be set for readinessProbes'));
  }
  return errs;
}

function validateLifecycle(lc: Any, gracePeriod: number | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (isObj(lc?.postStart)) errs.push(...validateHandler(lc.postStart, gracePeriod, `${path}.postStart`, false));
  if (isObj(lc?.preStop)) errs.push(...validateHandler(lc.preStop, gracePeriod, `${path}.preStop`, false));
  return errs;
}

const isValidId = (v: unknown) => Number.isInteger(Number(v)) && Number(v) >= 0 && Number(v) <= 0xffffffff;

function validateSeccompProfile(sp: Any, path: string): FieldError[] {
  if (!isObj(sp)) return [];
  const t = str(sp.type);
  const types = ['Localhost', 'RuntimeDefault', 'Unconfined'];
  if (!t) return [required(`${path}.type`, 'type is required when seccompProfile is set')];
  if (!types.includes(t)) return [notSupported(`${path}.type`, t, types)];
  if (t === 'Localhost' && !str(sp.localhostProfile)) {
    return [required(`${path}.localhostProfile`, 'must be set when seccomp type is Localhost')];
  }
  return [];
}

function validateContainerSecurityContext(sc: Any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(sc)) return errs;
  for (const f of ['runAsUser', 'runAsGroup'] as const) {
    if (isSet(sc[f]) && !isValidId(sc[f])) errs.push(invalid(`${path}.${f}`, Number(sc[f]), inclusiveRangeError(0, 4294967295)));
  }
  if (isSet(sc.procMount) && !['Default', 'Unmasked'].includes(str(sc.procMount))) {
    errs.push(notSupported(`${path}.procMount`, str(sc.procMount), ['Default', 'Unmasked']));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, `${path}.seccompProfile`));
  return errs;
}

/** validateContainerCommon: the checks every container kind shares. */
function validateContainerCommon(c: Any, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c?.name);
  if (!name) errs.push(required(`${path}.name`));
  else for (const msg of isDNS1123Label(name)) errs.push(invalid(`${path}.name`, name, msg));
  if (!str(c?.image)) errs.push(required(`${path}.image`));
  const tmp = str(c?.terminationMessagePolicy);
  if (!tmp) errs.push(required(`${path}.terminationMessagePolicy`));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') {
    errs.push(notSupported(`${path}.terminationMessagePolicy`, tmp, ['File', 'FallbackToLogsOnError']));
  }
  errs.push(...validatePorts(arr(c?.ports), `${path}.ports`));
  errs.push(...validateEnv(arr(c?.env), `${path}.env`));
  errs.push(...validateEnvFrom(arr(c?.envFrom), `${path}.envFrom`));
  errs.push(...validateVolumeMounts(arr(c?.volumeMounts), volumes, c, `${path}.volumeMounts`));
  const pp = str(c?.imagePullPolicy);
  if (!pp) errs.push(required(`${path}.imagePullPolicy`));
  else if (!['Always', 'IfNotPresent', 'Never'].includes(pp)) {
    errs.push(notSupported(`${path}.imagePullPolicy`, pp, ['Always', 'IfNotPresent', 'Never']));
  }
  errs.push(...validateResourceRequirements(c?.resources, `${path}.resources`));
  errs.push(...validateContainerSecurityContext(c?.securityContext, `${path}.securityContext`));
  return errs;
}

/** Host ports colliding across a set of containers: `Duplicate value: "TCP//8080"`. */
function checkHostPortConflicts(containers: Array<[c: Any, index: number]>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const [c, ci] of containers) {
    arr(c?.ports).forEach((p: Any, pi: number) => {
      const hp = Number(p?.hostPort ?? 0);
      if (!hp) return;
      const key = `${str(p?.protocol)}/${str(p?.hostIP)}/${hp}`;
      if (seen.has(key)) errs.push(duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    });
  }
  return errs;
}

function validateContainers(containers: Any[], volumes: Set<string>, gracePeriod: number | undefined, path: string): FieldError[] {
  if (containers.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, volumes, p));
    const name = str(c?.name);
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    else names.add(name);
    if (isObj(c?.lifecycle)) errs.push(...validateLifecycle(c.lifecycle, gracePeriod, `${p}.lifecycle`));
    errs.push(...validateProbe(c?.livenessProbe, gracePeriod, `${p}.livenessProbe`, 'liveness'));
    errs.push(...validateProbe(c?.readinessProbe, gracePeriod, `${p}.readinessProbe`, 'readiness'));
    errs.push(...validateProbe(c?.startupProbe, gracePeriod, `${p}.startupProbe`, 'startup'));
    if (isSet(c?.restartPolicy)) errs.push(forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  });
  errs.push(...checkHostPortConflicts(containers.map((c, i) => [c, i]), path));
  return errs;
}

const INIT_ONLY_FORBIDDEN = 'may not be set for init containers without restartPolicy=Always';

function validateInitContainers(inits: Any[], regular: Any[], volumes: Set<string>, gracePeriod: number | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>(regular.map((c) => str(c?.name)));
  inits.forEach((c, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, volumes, p));
    let restartAlways = false;
    if (isSet(c?.restartPolicy)) {
      const rp = str(c.restartPolicy);
      if (rp !== 'Always') errs.push(notSupported(`${p}.restartPolicy`, rp, ['Always']));
      restartAlways = rp === 'Always';
    }
    const name = str(c?.name);
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    else if (name) names.add(name);
    // Kubernetes checks each init container alone and reports it at index 0 (upstream quirk, kept)
    errs.push(...checkHostPortConflicts([[c, 0]], path));
    if (restartAlways) {
      if (isObj(c.lifecycle)) errs.push(...validateLifecycle(c.lifecycle, gracePeriod, `${p}.lifecycle`));
      errs.push(...validateProbe(c.livenessProbe, gracePeriod, `${p}.livenessProbe`, 'liveness'));
      errs.push(...validateProbe(c.readinessProbe, gracePeriod, `${p}.readinessProbe`, 'readiness'));
      errs.push(...validateProbe(c.startupProbe, gracePeriod, `${p}.startupProbe`, 'startup'));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (isSet(c?.[f])) errs.push(forbidden(`${p}.${f}`, INIT_ONLY_FORBIDDEN));
      }
    }
    if (arr(c?.resizePolicy).length > 0) {
      errs.push(invalidRendered(`${p}.resizePolicy`, JSON.stringify(c.resizePolicy), 'must not be set for init containers'));
    }
  });
  return errs;
}

const EPHEMERAL_FORBIDDEN_FIELDS = [
  'ports', 'resources', 'resizePolicy', 'restartPolicy', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle',
];

function validateEphemeralContainers(ecs: Any[], containers: Any[], inits: Any[], volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const other = new Set<string>([...containers, ...inits].map((c) => str(c?.name)));
  const all = new Set(other);
  ecs.forEach((ec, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(ec, volumes, p));
    errs.push(...imageWhitespace(ec, p));
    const name = str(ec?.name);
    if (all.has(name)) errs.push(duplicate(`${p}.name`, name));
    else all.add(name);
    const target = str(ec?.targetContainerName);
    if (target && !other.has(target)) errs.push(notFound(`${p}.targetContainerName`, target));
    for (const f of EPHEMERAL_FORBIDDEN_FIELDS) {
      const v = ec?.[f];
      const empty = !isSet(v) || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);
      if (!empty) errs.push(forbidden(`${p}.${f}`, 'cannot be set for an Ephemeral Container'));
    }
    arr(ec?.volumeMounts).forEach((vm: Any, j: number) => {
      if (str(vm?.subPath)) errs.push(forbidden(`${p}.volumeMounts[${j}].subPath`, 'cannot be set for an Ephemeral Container'));
      if (str(vm?.subPathExpr)) errs.push(forbidden(`${p}.volumeMounts[${j}].subPathExpr`, 'cannot be set for an Ephemeral Container'));
    });
  });
  return errs;
}

function imageWhitespace(c: Any, path: string): FieldError[] {
  const image = str(c?.image);
  return image.length !== image.trim().length ? [invalid(`${path}.image`, image, 'must not have leading or trailing whitespace')] : [];
}

// ============================================================================================
// Pod spec
// ============================================================================================

function validateTolerations(tolerations: Any[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  tolerations.forEach((t, i) => {
    const idx = `${path}[${i}]`;
    const key = str(t?.key);
    const op = str(t?.operator);
    const effect = str(t?.effect);
    const value = str(t?.value);
    if (key) for (const msg of isQualifiedName(key)) errs.push(invalid(`${idx}.key`, key, msg));
    if (!key && op !== 'Exists') {
      errs.push(invalid(`${idx}.operator`, op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (isSet(t?.tolerationSeconds) && effect !== 'NoExecute') {
      errs.push(invalid(`${idx}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (op === 'Equal' || op === '') {
      const msgs = isValidLabelValue(value);
      if (msgs.length > 0) errs.push(invalid(`${idx}.operator`, value, msgs.join(';')));
    } else if (op === 'Exists') {
      if (value) errs.push(invalid(`${idx}.operator`, value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(`${idx}.operator`, op, ['Equal', 'Exists']));
    }
    if (effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect)) {
      errs.push(notSupported(`${idx}.effect`, effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
    }
  });
  return errs;
}

// --- label selectors and affinity --------------------------------------------------------------

const labelNameErrs = (key: string, path: string): FieldError[] => isQualifiedName(key).map((msg) => invalid(path, key, msg));

/** metav1 LabelSelector (matchLabels + matchExpressions). */
export function validateLabelSelector(sel: Any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(sel)) return errs;
  arr(sel.matchExpressions).forEach((req: Any, i: number) => {
    const p = `${path}.matchExpressions[${i}]`;
    const op = str(req?.operator);
    const values = arr(req?.values);
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else errs.push(invalid(`${p}.operator`, op, 'not a valid selector operator'));
    errs.push(...labelNameErrs(str(req?.key), `${p}.key`));
    values.forEach((v: Any, j: number) => {
      for (const msg of isValidLabelValue(str(v))) errs.push(invalid(`${p}.values[${j}]`, str(v), msg));
    });
  });
  errs.push(...validateLabels(isObj(sel.matchLabels) ? sel.matchLabels : undefined, `${path}.matchLabels`));
  return errs;
}

function validateNodeSelectorTerm(term: Any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(term?.matchExpressions).forEach((req: Any, j: number) => {
    const p = `${path}.matchExpressions[${j}]`;
    const op = str(req?.operator);
    const n = arr(req?.values).length;
    if (op === 'In' || op === 'NotIn') {
      if (n === 0) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (n > 0) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else if (op === 'Gt' || op === 'Lt') {
      if (n !== 1) errs.push(required(`${p}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
    } else errs.push(invalid(`${p}.operator`, op, 'not a valid selector operator'));
    errs.push(...labelNameErrs(str(req?.key), `${p}.key`));
  });
  arr(term?.matchFields).forEach((req: Any, j: number) => {
    const p = `${path}.matchFields[${j}]`;
    const op = str(req?.operator);
    if (op !== 'In' && op !== 'NotIn') errs.push(invalid(`${p}.operator`, op, 'not a valid selector operator'));
    else if (arr(req?.values).length !== 1) errs.push(required(`${p}.values`, 'must be only one value when `operator` is \'In\' or \'NotIn\' for node field selector'));
    if (str(req?.key) !== 'metadata.name') errs.push(invalid(`${p}.key`, str(req?.key), 'not a valid field selector key'));
  });
  return errs;
}

function validatePodAffinityTerm(term: Any, path: string): FieldError[] {
  const errs = validateLabelSelector(term?.labelSelector, `${path}.labelSelector`);
  errs.push(...validateLabelSelector(term?.namespaceSelector, `${path}.namespaceSelector`));
  for (const ns of arr(term?.namespaces)) for (const msg of isDNS1123Label(str(ns))) errs.push(invalid(`${path}.namespace`, str(ns), msg));
  const key = str(term?.topologyKey);
  if (!key) errs.push(required(`${path}.topologyKey`, 'can not be empty'));
  errs.push(...labelNameErrs(key, `${path}.topologyKey`));
  return errs;
}

function validateWeight(w: unknown, path: string): FieldError[] {
  const n = Number(w ?? 0);
  return n < 1 || n > 100 ? [invalid(path, n, 'must be in the range 1-100')] : [];
}

function validateAffinity(aff: Any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(aff)) return errs;
  const na = aff.nodeAffinity;
  if (isObj(na)) {
    const np = `${path}.nodeAffinity`;
    const req = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (isObj(req)) {
      const tp = `${np}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
      const terms = arr(req.nodeSelectorTerms);
      if (terms.length === 0) errs.push(required(tp, 'must have at least one node selector term'));
      terms.forEach((t: Any, i: number) => errs.push(...validateNodeSelectorTerm(t, `${tp}[${i}]`)));
    }
    arr(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t: Any, i: number) => {
      const p = `${np}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      errs.push(...validateWeight(t?.weight, `${p}.weight`));
      errs.push(...validateNodeSelectorTerm(t?.preference, `${p}.preference`));
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const pa = aff[kind];
    if (!isObj(pa)) continue;
    const pp = `${path}.${kind}`;
    arr(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((t: Any, i: number) => {
      errs.push(...validatePodAffinityTerm(t, `${pp}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`));
    });
    arr(pa.preferredDuringSchedulingIgnoredDuringExecution).forEach((t: Any, i: number) => {
      const p = `${pp}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      errs.push(...validateWeight(t?.weight, `${p}.weight`));
      errs.push(...validatePodAffinityTerm(t?.podAffinityTerm, `${p}.podAffinityTerm`));
    });
  }
  return errs;
}

function validateTopologySpreadConstraints(constraints: Any[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  constraints.forEach((c: Any, i: number) => {
    const p = `${path}[${i}]`;
    const maxSkew = Number(c?.maxSkew ?? 0);
    if (maxSkew <= 0) errs.push(invalid(`${p}.maxSkew`, maxSkew, 'must be greater than zero'));
    const key = str(c?.topologyKey);
    if (!key) errs.push(required(`${p}.topologyKey`, 'can not be empty'));
    const when = str(c?.whenUnsatisfiable);
    if (when !== 'DoNotSchedule' && when !== 'ScheduleAnyway') {
      errs.push(notSupported(`${p}.whenUnsatisfiable`, when, ['DoNotSchedule', 'ScheduleAnyway']));
    }
    if (constraints.slice(i + 1).some((o: Any) => str(o?.topologyKey) === key && str(o?.whenUnsatisfiable) === when)) {
      errs.push(duplicate(`${p}.{topologyKey, whenUnsatisfiable}`, `{${key}, ${when}}`));
    }
    if (isSet(c?.minDomains)) {
      const md = Number(c.minDomains);
      if (md <= 0) errs.push(invalid(`${p}.minDomains`, md, 'must be greater than zero'));
      if (when !== 'DoNotSchedule') {
        errs.push(invalid(`${p}.minDomains`, md, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${when}`));
      }
    }
    for (const f of ['nodeAffinityPolicy', 'nodeTaintsPolicy'] as const) {
      if (isSet(c?.[f]) && !['Honor', 'Ignore'].includes(str(c[f]))) errs.push(notSupported(`${p}.${f}`, str(c[f]), ['Honor', 'Ignore']));
    }
    errs.push(...validateLabelSelector(c?.labelSelector, `${p}.labelSelector`));
  });
  return errs;
}

function validatePodSecurityContext(sc: Any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(sc)) return errs;
  for (const f of ['fsGroup', 'runAsUser', 'runAsGroup'] as const) {
    if (isSet(sc[f]) && !isValidId(sc[f])) errs.push(invalid(`${path}.${f}`, Number(sc[f]), inclusiveRangeError(0, 4294967295)));
  }
  arr(sc.supplementalGroups).forEach((g: Any, i: number) => {
    if (!isValidId(g)) errs.push(invalid(`${path}.supplementalGroups[${i}]`, Number(g), inclusiveRangeError(0, 4294967295)));
  });
  if (sc.shareProcessNamespace === true && sc.hostPID === true) {
    errs.push(invalid(`${path}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  const seen = new Set<string>();
  arr(sc.sysctls).forEach((s: Any, i: number) => {
    const n = str(s?.name);
    const p = `${path}.sysctls[${i}].name`;
    if (!n) errs.push(required(p));
    else if (n.length > 253 || !/^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/.test(n)) {
      errs.push(invalid(p, n, 'must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$'));
    } else if (seen.has(n)) errs.push(duplicate(p, n));
    seen.add(n);
  });
  if (isSet(sc.fsGroupChangePolicy) && !['Always', 'OnRootMismatch'].includes(str(sc.fsGroupChangePolicy))) {
    errs.push(notSupported(`${path}.fsGroupChangePolicy`, str(sc.fsGroupChangePolicy), ['Always', 'OnRootMismatch']));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, `${path}.seccompProfile`));
  return errs;
}

function validateDNSConfig(cfg: Any, dnsPolicy: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (dnsPolicy === 'None') {
    if (!isObj(cfg)) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (arr(cfg.nameservers).length === 0) {
      return [required(`${path}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
    }
  }
  if (!isObj(cfg)) return errs;
  const ns = arr(cfg.nameservers);
  if (ns.length > 3) errs.push(invalidRendered(`${path}.nameservers`, goSlice(ns), 'must not have more than 3 nameservers'));
  ns.forEach((ip: Any, i: number) => {
    if (!isIP(str(ip))) errs.push(invalid(`${path}.nameservers[${i}]`, str(ip), INVALID_IP_MSG));
  });
  const searches = arr(cfg.searches).map(str);
  if (searches.length > 32) errs.push(invalidRendered(`${path}.searches`, goSlice(searches), 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) {
    errs.push(invalidRendered(`${path}.searches`, goSlice(searches), 'must not have more than 2048 characters (including spaces) in the search list'));
  }
  // RelaxedDNSSearchValidation is off by default in 1.32: plain DNS subdomains, one trailing dot allowed
  searches.forEach((s, i) => {
    const trimmed = s.endsWith('.') ? s.slice(0, -1) : s;
    for (const msg of nameIsDNSSubdomain(trimmed)) errs.push(invalid(`${path}.searches[${i}]`, trimmed, msg));
  });
  arr(cfg.options).forEach((o: Any, i: number) => {
    if (!str(o?.name)) errs.push(required(`${path}.options[${i}]`, 'must not be empty'));
  });
  return errs;
}

const goSlice = (xs: unknown[]) => `[]string{${xs.map((x) => JSON.stringify(str(x))).join(', ')}}`;

function validateSubdomainField(value: unknown, path: string): FieldError[] {
  const v = str(value);
  return v ? nameIsDNSSubdomain(v).map((msg) => invalid(path, v, msg)) : [];
}

function validatePodSpec(spec: Any, path = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  if (!isSet(spec.terminationGracePeriodSeconds)) errs.push(required(`${path}.terminationGracePeriodSeconds`));
  const grace = isSet(spec.terminationGracePeriodSeconds) ? Number(spec.terminationGracePeriodSeconds) : undefined;

  const { names: volumes, errs: volErrs } = validateVolumes(arr(spec.volumes), `${path}.volumes`);
  errs.push(...volErrs);
  errs.push(...validateContainers(arr(spec.containers), volumes, grace, `${path}.containers`));
  errs.push(...validateInitContainers(arr(spec.initContainers), arr(spec.containers), volumes, grace, `${path}.initContainers`));
  errs.push(...validateEphemeralContainers(arr(spec.ephemeralContainers), arr(spec.containers), arr(spec.initContainers), volumes, `${path}.ephemeralContainers`));

  if (spec.hostNetwork === true) {
    arr(spec.containers).forEach((c: Any, i: number) => {
      arr(c?.ports).forEach((p: Any, j: number) => {
        const hp = Number(p?.hostPort ?? 0);
        if (hp !== Number(p?.containerPort ?? 0)) {
          errs.push(invalid(`${path}.containers[${i}].ports[${j}].hostPort`, hp, 'must match `containerPort` when `hostNetwork` is true'));
        }
      });
    });
  }

  const rp = str(spec.restartPolicy);
  if (!rp) errs.push(required(`${path}.restartPolicy`));
  else if (!['Always', 'OnFailure', 'Never'].includes(rp)) errs.push(notSupported(`${path}.restartPolicy`, rp, ['Always', 'OnFailure', 'Never']));
  const dp = str(spec.dnsPolicy);
  const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  if (!dp) errs.push(required(`${path}.dnsPolicy`));
  else if (!dnsPolicies.includes(dp)) errs.push(notSupported(`${path}.dnsPolicy`, dp, dnsPolicies));
  errs.push(...validateLabels(isObj(spec.nodeSelector) ? spec.nodeSelector : undefined, `${path}.nodeSelector`));
  errs.push(...validatePodSecurityContext(spec.securityContext, `${path}.securityContext`));
  errs.push(...validateAffinity(spec.affinity, `${path}.affinity`));
  errs.push(...validateDNSConfig(spec.dnsConfig, dp, `${path}.dnsConfig`));
  arr(spec.readinessGates).forEach((g: Any, i: number) => {
    const ct = str(g?.conditionType);
    for (const msg of isQualifiedName(ct)) errs.push(invalid(`${path}.readinessGates[${i}].conditionType`, ct, msg));
  });
  const gates = new Set<string>();
  arr(spec.schedulingGates).forEach((g: Any, i: number) => {
    const n = str(g?.name);
    for (const msg of isQualifiedName(n)) errs.push(invalid(`${path}.schedulingGates[${i}]`, n, msg));
    if (gates.has(n)) errs.push(duplicate(`${path}.schedulingGates[${i}]`, n));
    gates.add(n);
  });
  errs.push(...validateTopologySpreadConstraints(arr(spec.topologySpreadConstraints), `${path}.topologySpreadConstraints`));
  errs.push(...validateSubdomainField(spec.serviceAccountName, `${path}.serviceAccountName`));
  errs.push(...validateSubdomainField(spec.nodeName, `${path}.nodeName`));
  if (isSet(spec.activeDeadlineSeconds)) {
    const v = Number(spec.activeDeadlineSeconds);
    if (v < 1 || v > MAX_INT32) errs.push(invalid(`${path}.activeDeadlineSeconds`, v, inclusiveRangeError(1, MAX_INT32)));
  }
  for (const f of ['hostname', 'subdomain'] as const) {
    const v = str(spec[f]);
    if (v) for (const msg of isDNS1123Label(v)) errs.push(invalid(`${path}.${f}`, v, msg));
  }
  errs.push(...validateTolerations(arr(spec.tolerations), `${path}.tolerations`));
  arr(spec.hostAliases).forEach((ha: Any, i: number) => {
    if (!isIP(str(ha?.ip))) errs.push(invalid(`${path}.hostAliases[${i}].ip`, str(ha?.ip), INVALID_IP_MSG));
    arr(ha?.hostnames).forEach((h: Any, j: number) => {
      for (const msg of nameIsDNSSubdomain(str(h))) errs.push(invalid(`${path}.hostAliases[${i}].hostnames[${j}]`, str(h), msg));
    });
  });
  errs.push(...validateSubdomainField(spec.priorityClassName, `${path}.priorityClassName`));
  if (isSet(spec.runtimeClassName)) {
    const v = str(spec.runtimeClassName);
    for (const msg of nameIsDNSSubdomain(v)) errs.push(invalid(`${path}.runtimeClassName`, v, msg));
  }
  if (isSet(spec.preemptionPolicy)) {
    const v = str(spec.preemptionPolicy);
    if (!v) errs.push(required(`${path}.preemptionPolicy`));
    else if (v !== 'PreemptLowerPriority' && v !== 'Never') errs.push(notSupported(`${path}.preemptionPolicy`, v, ['PreemptLowerPriority', 'Never']));
  }
  if (isObj(spec.overhead)) errs.push(...validateResourceRequirements({ limits: spec.overhead }, `${path}.overhead`));
  if (isObj(spec.os)) {
    const os = str(spec.os.name);
    if (!os) errs.push(required(`${path}.os.name`));
    else if (os !== 'linux' && os !== 'windows') errs.push(notSupported(`${path}.os.name`, os, ['linux', 'windows']));
  }
  return errs;
}

// ============================================================================================
// Pod: create, update, status update
// ============================================================================================

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

function validatePodAnnotations(annotations: Record<string, string> | undefined, spec: Any): FieldError[] {
  const errs: FieldError[] = [];
  const a = annotations ?? {};
  if (MIRROR_POD_ANNOTATION in a && !str(spec.nodeName)) {
    errs.push(invalid(`metadata.annotations[${MIRROR_POD_ANNOTATION}]`, a[MIRROR_POD_ANNOTATION], 'must set spec.nodeName if mirror pod annotation is set'));
  }
  if (POD_DELETION_COST in a) {
    const v = str(a[POD_DELETION_COST]);
    const ok = /^(0|-[0-9]+|[1-9][0-9]*)$/.test(v) && Number(v) >= -2147483648 && Number(v) <= MAX_INT32;
    if (!ok) errs.push(invalid(`metadata.annotations[${POD_DELETION_COST}]`, v, 'must be a 32bit integer'));
  }
  return errs;
}

function validatePodMetadataAndSpec(pod: KubeObject): FieldError[] {
  const spec = isObj(pod.spec) ? pod.spec : {};
  const errs = validateObjectMeta(pod.metadata, { namespaced: true });
  errs.push(...validatePodAnnotations(pod.metadata?.annotations, spec));
  errs.push(...validatePodSpec(spec));
  if (!str(spec.serviceAccountName)) {
    arr(spec.volumes).forEach((v: Any, vi: number) => {
      arr(v?.projected?.sources).forEach((s: Any, si: number) => {
        if (isObj(s?.serviceAccountToken)) {
          errs.push(forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
        }
      });
    });
  }
  arr(spec.containers).forEach((c: Any, i: number) => errs.push(...imageWhitespace(c, `spec.containers[${i}]`)));
  arr(spec.initContainers).forEach((c: Any, i: number) => errs.push(...imageWhitespace(c, `spec.initContainers[${i}]`)));
  return errs;
}

/** ValidatePodCreate: metadata, spec, and the create-only rules. Expects a defaulted pod. */
export function validatePod(pod: KubeObject): FieldError[] {
  const spec = isObj(pod.spec) ? pod.spec : {};
  const errs = validatePodMetadataAndSpec(pod);
  if (arr(spec.ephemeralContainers).length > 0) errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (str(spec.nodeName) && arr(spec.schedulingGates).length > 0) {
    errs.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

/** The allowed-fields list of the pod-update Forbidden message (1.27–1.33, default gates). */
export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function validateContainerUpdates(newCs: Any[], oldCs: Any[], path: string): { errs: FieldError[]; stop: boolean } {
  if (newCs.length !== oldCs.length) return { errs: [forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  newCs.forEach((c, i) => {
    const image = str(c?.image);
    if (!image) errs.push(required(`${path}[${i}].image`));
    if (image.trim().length !== image.length) errs.push(invalid(`${path}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

function validatePodAnnotationUpdates(newPod: KubeObject, oldPod: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const na = newPod.metadata?.annotations ?? {};
  const oa = oldPod.metadata?.annotations ?? {};
  const apparmor = 'container.apparmor.security.beta.kubernetes.io/';
  for (const [k, v] of Object.entries(oa)) {
    if (k in na && na[k] === v) continue;
    if (k.startsWith(apparmor)) errs.push(forbidden(`metadata.annotations[${k}]`, 'may not remove or update AppArmor annotations'));
    if (k === MIRROR_POD_ANNOTATION) errs.push(forbidden(`metadata.annotations[${k}]`, 'may not remove or update mirror pod annotation'));
  }
  for (const k of Object.keys(na)) {
    if (k in oa) continue;
    if (k.startsWith(apparmor)) errs.push(forbidden(`metadata.annotations[${k}]`, 'may not add AppArmor annotations'));
    if (k === MIRROR_POD_ANNOTATION) errs.push(forbidden(`metadata.annotations[${k}]`, 'may not add mirror pod annotation'));
  }
  errs.push(...validatePodAnnotations(na, isObj(newPod.spec) ? newPod.spec : {}));
  return errs;
}

/**
 * ValidatePodUpdate: metadata update rules, the full spec checks on the new pod, then what an update may
 * change at all (images, activeDeadlineSeconds downwards, added tolerations, removed scheduling gates,
 * terminationGracePeriodSeconds negative → 1, nodeSelector additions on gated pods). Anything else gives
 * `spec: Forbidden: pod updates may not change fields other than …` followed by a diff of the specs.
 */
export function validatePodUpdate(newPod: KubeObject, oldPod: KubeObject): FieldError[] {
  const ns: Any = isObj(newPod.spec) ? newPod.spec : {};
  const os: Any = isObj(oldPod.spec) ? oldPod.spec : {};
  const errs = validateObjectMetaUpdate(newPod.metadata, oldPod.metadata);
  errs.push(...validatePodMetadataAndSpec(newPod));
  errs.push(...validatePodAnnotationUpdates(newPod, oldPod));

  for (const key of ['containers', 'initContainers'] as const) {
    const r = validateContainerUpdates(arr(ns[key]), arr(os[key]), `spec.${key}`);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }

  if (isSet(ns.activeDeadlineSeconds)) {
    const v = Number(ns.activeDeadlineSeconds);
    if (v < 0 || v > MAX_INT32) {
      errs.push(invalid('spec.activeDeadlineSeconds', v, inclusiveRangeError(0, MAX_INT32)));
      return errs;
    }
    if (isSet(os.activeDeadlineSeconds) && Number(os.activeDeadlineSeconds) < v) {
      errs.push(invalid('spec.activeDeadlineSeconds', v, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (isSet(os.activeDeadlineSeconds)) {
    errs.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }

  // tolerations: existing ones may change only tolerationSeconds
  const newTols = arr(ns.tolerations);
  const tolerationModified = arr(os.tolerations).some(
    (old: Any) => !newTols.some((t) => semanticEqual({ ...old, tolerationSeconds: t?.tolerationSeconds }, t)),
  );
  if (tolerationModified) errs.push(forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
  else errs.push(...validateTolerations(newTols, 'spec.tolerations')); // Kubernetes runs these twice on update

  // scheduling gates: only removals
  const newGates = arr(ns.schedulingGates);
  if (newGates.length > 0) {
    const oldNames = new Set(arr(os.schedulingGates).map((g: Any) => str(g?.name)));
    const added = new Map<string, number>();
    newGates.forEach((g: Any, i: number) => added.set(str(g?.name), i));
    for (const [name, i] of added) {
      if (!oldNames.has(name)) {
        errs.push(forbidden(`spec.schedulingGates[${i}].name`, `only deletion is allowed, but found new scheduling gate '${name}'`));
      }
    }
  }

  if (semanticEqual(ns, os)) return errs;

  const oldQos = computeQosClass(oldPod);
  if (oldQos !== computeQosClass(newPod)) {
    errs.push(invalid('metadata', str(oldPod.status?.qosClass), 'Pod QoS is immutable'));
  }

  // mask what may change, then compare
  const munged: Any = structuredClone(ns);
  arr(munged.containers).forEach((c: Any, i: number) => {
    if (isObj(c)) c.image = os.containers[i]?.image;
  });
  arr(munged.initContainers).forEach((c: Any, i: number) => {
    if (isObj(c)) c.image = os.initContainers[i]?.image;
  });
  setOrDelete(munged, 'activeDeadlineSeconds', os.activeDeadlineSeconds);
  setOrDelete(munged, 'schedulingGates', os.schedulingGates);
  setOrDelete(munged, 'tolerations', os.tolerations);
  if (isSet(os.terminationGracePeriodSeconds) && Number(os.terminationGracePeriodSeconds) < 0 && Number(munged.terminationGracePeriodSeconds) === 1) {
    munged.terminationGracePeriodSeconds = os.terminationGracePeriodSeconds;
  }
  if (arr(os.schedulingGates).length > 0) {
    const oldSel: Record<string, string> = isObj(os.nodeSelector) ? os.nodeSelector : {};
    const newSel: Record<string, string> = isObj(munged.nodeSelector) ? munged.nodeSelector : {};
    if (!semanticEqual(newSel, oldSel)) {
      const changed = Object.entries(oldSel).some(([k, v]) => newSel[k] !== v);
      if (changed) errs.push(invalidRendered('spec.nodeSelector', goMap(newSel), 'only additions to spec.nodeSelector are allowed (no mutations or deletions)'));
      setOrDelete(munged, 'nodeSelector', os.nodeSelector);
    }
  }
  if (!semanticEqual(munged, os)) {
    errs.push(
      forbidden('spec', `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${specDiff(os, munged)}`),
    );
  }
  return errs;
}

/**
 * ValidatePodEphemeralContainersUpdate (the `ephemeralcontainers` subresource, used by `kubectl debug`):
 * the pod must still be valid, ephemeral containers may be added but existing ones neither removed nor
 * changed.
 */
export function validatePodEphemeralContainersUpdate(newPod: KubeObject, oldPod: KubeObject): FieldError[] {
  const errs = validateObjectMetaUpdate(newPod.metadata, oldPod.metadata);
  errs.push(...validatePodMetadataAndSpec(newPod));
  errs.push(...validatePodAnnotationUpdates(newPod, oldPod));
  if (MIRROR_POD_ANNOTATION in (oldPod.metadata?.annotations ?? {})) {
    return [forbidden('', 'static pods do not support ephemeral containers')];
  }
  const byName = new Map<string, Any>(arr(newPod.spec?.ephemeralContainers).map((c: Any) => [str(c?.name), c]));
  for (const old of arr(oldPod.spec?.ephemeralContainers)) {
    const name = str(old?.name);
    const next = byName.get(name);
    if (next === undefined) {
      errs.push(forbidden('spec.ephemeralContainers', `existing ephemeral containers ${JSON.stringify(name)} may not be removed\n`));
    } else if (!semanticEqual(old, next)) {
      errs.push(forbidden('spec.ephemeralContainers', `existing ephemeral containers ${JSON.stringify(name)} may not be changed\n${specDiff(old, next)}`));
    }
  }
  return errs;
}

const goMap = (m: Record<string, string>) =>
  `map[string]string{${Object.keys(m)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`)
    .join(', ')}}`;

function setOrDelete(obj: Any, key: string, value: unknown): void {
  if (value === undefined) delete obj[key];
  else obj[key] = structuredClone(value);
}

const SYSTEM_POD_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized']);

function validateStateTransitions(newStatuses: Any[], oldStatuses: Any[], path: string, restartPolicy: string, skip: (name: string) => boolean = () => false): FieldError[] {
  const errs: FieldError[] = [];
  if (restartPolicy === 'Always') return errs;
  oldStatuses.forEach((old: Any, i: number) => {
    const term = old?.state?.terminated;
    if (!isObj(term)) return;
    if (Number(term.exitCode ?? 0) !== 0 && restartPolicy === 'OnFailure') return;
    if (skip(str(old?.name))) return;
    for (const n of newStatuses) {
      if (str(n?.name) === str(old?.name) && !isObj(n?.state?.terminated)) {
        errs.push(forbidden(`${path}[${i}].state`, 'may not be transitioned to non-terminated state'));
      }
    }
  });
  return errs;
}

/** ValidatePodStatusUpdate (the `/status` subresource), the parts that apply here. */
export function validatePodStatusUpdate(newPod: KubeObject, oldPod: KubeObject): FieldError[] {
  const ns: Any = isObj(newPod.spec) ? newPod.spec : {};
  const os: Any = isObj(oldPod.spec) ? oldPod.spec : {};
  const nst: Any = isObj(newPod.status) ? newPod.status : {};
  const ost: Any = isObj(oldPod.status) ? oldPod.status : {};
  const errs = validateObjectMetaUpdate(newPod.metadata, oldPod.metadata);
  errs.push(...validatePodAnnotationUpdates(newPod, oldPod));
  arr(nst.conditions).forEach((c: Any, i: number) => {
    const t = str(c?.type);
    if (SYSTEM_POD_CONDITIONS.has(t)) return;
    for (const msg of isQualifiedName(t)) errs.push(invalid(`metadata.conditions[${i}].Type`, t, msg));
  });
  if (str(ns.nodeName) !== str(os.nodeName)) errs.push(forbidden('status.nodeName', 'may not be changed directly'));
  const nominated = str(nst.nominatedNodeName);
  if (nominated && nominated !== str(ost.nominatedNodeName)) {
    for (const msg of nameIsDNSSubdomain(nominated)) errs.push(invalid('status.nominatedNodeName', nominated, msg));
  }
  if (str(nst.qosClass) !== str(ost.qosClass)) errs.push(invalid('status.qosClass', str(nst.qosClass), 'field is immutable'));
  const rp = str(os.restartPolicy);
  errs.push(...validateStateTransitions(arr(nst.containerStatuses), arr(ost.containerStatuses), 'status.containerStatuses', rp));
  const sidecars = new Set(arr(os.initContainers).filter((c: Any) => c?.restartPolicy === 'Always').map((c: Any) => str(c?.name)));
  errs.push(...validateStateTransitions(arr(nst.initContainerStatuses), arr(ost.initContainerStatuses), 'status.initContainerStatuses', rp, (n) => sidecars.has(n)));
  errs.push(...validateStateTransitions(arr(nst.ephemeralContainerStatuses), arr(ost.ephemeralContainerStatuses), 'status.ephemeralContainerStatuses', 'Never'));
  arr(nst.podIPs).forEach((ip: Any, i: number) => {
    if (!isIP(str(ip?.ip))) errs.push(invalid(`status.podIPs[${i}]`, str(ip?.ip), INVALID_IP_MSG));
  });
  const hostIPs = arr(nst.hostIPs);
  if (hostIPs.length > 0) {
    if (str(nst.hostIP) !== str(hostIPs[0]?.ip)) errs.push(invalid('status.hostIPs[0].ip', str(hostIPs[0]?.ip), 'must be equal to `hostIP`'));
    hostIPs.forEach((ip: Any, i: number) => {
      if (!isIP(str(ip?.ip))) errs.push(invalid(`status.hostIPs[${i}]`, str(ip?.ip), INVALID_IP_MSG));
    });
  }
  return errs;
}

// ============================================================================================
// Semantic equality and the spec diff
// ============================================================================================

const QUANTITY_MAPS = new Set(['limits', 'requests', 'overhead', 'capacity', 'allocatable']);
/** Pointer-to-struct fields where `{}` differs from absent. */
const POINTER_STRUCTS = new Set(['securityContext', 'emptyDir']);

function quantityKey(x: string | number): string {
  try {
    return formatQuantity(parseQuantityExact(x));
  } catch (err) {
    if (err instanceof QuantityError) return String(x);
    throw err;
  }
}

/**
 * Normalises a JSON value the way apimachinery's Semantic.DeepEqual sees Go values: zero values
 * (null, "", 0, false, [], {}) are absent, and quantities compare by value.
 */
export function normalizeForCompare(v: unknown, key = ''): unknown {
  if (v === null || v === undefined || v === '' || v === 0 || v === false) return undefined;
  if (Array.isArray(v)) {
    const out = v.map((x) => normalizeForCompare(x) ?? null);
    return out.length === 0 ? undefined : out;
  }
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      // a quantity map entry exists even at zero; its value compares by amount
      const n = QUANTITY_MAPS.has(key) && (typeof x === 'string' || typeof x === 'number') ? quantityKey(x) : normalizeForCompare(x, k);
      if (n !== undefined) out[k] = n;
    }
    if (Object.keys(out).length > 0) return out;
    return POINTER_STRUCTS.has(key) ? {} : undefined;
  }
  return v;
}

function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export const semanticEqual = (a: unknown, b: unknown): boolean =>
  stableStringify(normalizeForCompare(a)) === stableStringify(normalizeForCompare(b));

const isLeaf = (v: unknown) =>
  v === null || typeof v !== 'object' || (Array.isArray(v) ? v.length === 0 : Object.keys(v as object).length === 0);
const leaf = (v: unknown) => (Array.isArray(v) ? '[]' : v !== null && typeof v === 'object' ? '{}' : JSON.stringify(v));

/** YAML-like lines with sorted keys, so that a changed value is one changed line. */
function toLines(v: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (isLeaf(v)) return [`${pad}${leaf(v)}`];
  const out: string[] = [];
  if (Array.isArray(v)) {
    for (const item of v) {
      if (isLeaf(item)) out.push(`${pad}- ${leaf(item)}`);
      else {
        out.push(`${pad}-`);
        out.push(...toLines(item, indent + 2));
      }
    }
    return out;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o).sort()) {
    if (isLeaf(o[k])) out.push(`${pad}${k}: ${leaf(o[k])}`);
    else {
      out.push(`${pad}${k}:`);
      out.push(...toLines(o[k], indent + 2));
    }
  }
  return out;
}

/**
 * A readable line diff of two specs (old → new), in the spirit of Go's cmp.Diff: `-` lines from the old
 * spec, `+` lines from the new one, unchanged lines elided to a little context.
 */
export function specDiff(oldSpec: unknown, newSpec: unknown, context = 2): string {
  const a = toLines(normalizeForCompare(oldSpec) ?? {}, 0);
  const b = toLines(normalizeForCompare(newSpec) ?? {}, 0);
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const ops: Array<[' ' | '-' | '+', string]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push([' ', a[i]]);
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) ops.push(['-', a[i++]]);
    else ops.push(['+', b[j++]]);
  }
  while (i < n) ops.push(['-', a[i++]]);
  while (j < m) ops.push(['+', b[j++]]);
  const keep = ops.map(() => false);
  ops.forEach(([op], k) => {
    if (op === ' ') return;
    for (let d = Math.max(0, k - context); d <= Math.min(ops.length - 1, k + context); d++) keep[d] = true;
  });
  const out: string[] = [];
  let skipped = false;
  ops.forEach(([op, line], k) => {
    if (!keep[k]) {
      if (!skipped) out.push('  ...');
      skipped = true;
      return;
    }
    skipped = false;
    out.push(`${op} ${line}`);
  });
  return out.join('\n');
}

// ============================================================================================
// Warnings (HTTP `Warning: 299 - "…"` headers on create/update)
// ============================================================================================

/**
 * The warnings kube-apiserver attaches to a pod create (WarningsOnCreate) that this module computes:
 * `metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS
 * label is recommended: [must not contain dots]`. Send each as `Warning: 299 - "<text>"`.
 */
export function podWarnings(pod: KubeObject): string[] {
  const name = pod.metadata?.name ?? '';
  const errs = isDNS1123Label(name);
  return errs.length > 0
    ? [`metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [${errs.join(' ')}]`]
    : [];
}
