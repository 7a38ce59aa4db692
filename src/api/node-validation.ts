import { isIP } from 'node:net';
import type { FieldError } from '../machinery/field-error.ts';
import { forbidden, invalid, notSupported, required } from '../machinery/field-error.ts';
import type { KubeObject } from './object.ts';
import { invalidRendered, validateObjectMeta, validateObjectMetaUpdate } from './meta-validation.ts';
import { isQualifiedName, isValidLabelValue } from './name-validation.ts';
import { formatQuantity, parseQuantityExact, quantityError } from './quantity.ts';

/**
 * Node validation (core/v1 ValidateNode / ValidateNodeUpdate): subdomain names, taints (note that
 * Kubernetes reports them under `metadata.taints[i]`), capacity/allocatable quantities, podCIDRs, and
 * what an update may not change (podCIDRs once set, providerID once set, externalID).
 *
 *   validateNode({ metadata: { name: 'n1' }, spec: { taints: [{ key: 'k', effect: 'Sometimes' }] } })
 *   // [metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", …]
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const INTEGER_NATIVE_RESOURCES = new Set(['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims']);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

const goTaint = (t: Any) =>
  `core.Taint{Key:${JSON.stringify(str(t?.key))}, Value:${JSON.stringify(str(t?.value))}, Effect:${JSON.stringify(str(t?.effect))}, TimeAdded:<nil>}`;

export function validateNodeTaints(taints: Any[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Map<string, Set<string>>();
  taints.forEach((t, i) => {
    const idx = `${path}[${i}]`;
    const key = str(t?.key);
    const value = str(t?.value);
    const effect = str(t?.effect);
    for (const msg of isQualifiedName(key)) errs.push(invalid(`${idx}.key`, key, msg));
    const vmsgs = isValidLabelValue(value);
    if (vmsgs.length > 0) errs.push(invalid(`${idx}.value`, value, vmsgs.join(';')));
    if (!effect) errs.push(required(`${idx}.effect`));
    else if (!TAINT_EFFECTS.includes(effect)) errs.push(notSupported(`${idx}.effect`, effect, TAINT_EFFECTS));
    const keys = seen.get(effect) ?? new Set<string>();
    if (keys.has(key)) {
      errs.push({ type: 'FieldValueDuplicate', field: idx, message: `Duplicate value: ${goTaint(t)}: taints must be unique by key and effect pair` });
      return;
    }
    keys.add(key);
    seen.set(effect, keys);
  });
  return errs;
}

function validateResourceList(list: Any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!list || typeof list !== 'object') return errs;
  for (const [name, q] of Object.entries(list)) {
    const p = `${path}.${name}`;
    const bad = quantityError(q);
    if (bad) {
      errs.push(invalid(p, str(q), bad));
      continue;
    }
    const parsed = parseQuantityExact(q as string | number);
    if (parsed.nanos < 0n) errs.push(invalid(p, formatQuantity(parsed), 'must be greater than or equal to 0'));
    const integer = INTEGER_NATIVE_RESOURCES.has(name) || (name.includes('/') && !name.includes('kubernetes.io/'));
    if (integer && parsed.nanos % 1_000_000_000n !== 0n) errs.push(invalid(p, formatQuantity(parsed), 'must be an integer'));
  }
  return errs;
}

const isCIDR = (v: string): 4 | 6 | 0 => {
  const m = /^(.+)\/(\d{1,3})$/.exec(v);
  if (!m) return 0;
  const fam = isIP(m[1]);
  const bits = Number(m[2]);
  if (fam === 4 && bits <= 32) return 4;
  if (fam === 6 && bits <= 128) return 6;
  return 0;
};

function validateNodeCommon(node: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec: Any = node.spec && typeof node.spec === 'object' ? node.spec : {};
  const status: Any = node.status && typeof node.status === 'object' ? node.status : {};
  errs.push(...validateResourceList(status.capacity, 'status.capacity'));
  errs.push(...validateResourceList(status.allocatable, 'status.allocatable'));
  const cidrs: Any[] = Array.isArray(spec.podCIDRs) ? spec.podCIDRs : [];
  const families: number[] = [];
  cidrs.forEach((c, i) => {
    const fam = isCIDR(str(c));
    if (!fam) errs.push(invalid(`spec.podCIDRs[${i}]`, str(c), 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
    families.push(fam);
  });
  if (cidrs.length > 1 && (cidrs.length > 2 || families[0] === families[1] || families.includes(0))) {
    errs.push(invalidRendered('spec.podCIDRs', `[]string{${cidrs.map((c) => JSON.stringify(str(c))).join(', ')}}`, 'may specify no more than one CIDR for each IP family'));
  }
  return errs;
}

export function validateNode(node: KubeObject): FieldError[] {
  const errs = validateObjectMeta(node.metadata, { namespaced: false });
  const taints: Any[] = Array.isArray(node.spec?.taints) ? node.spec.taints : [];
  if (taints.length > 0) errs.push(...validateNodeTaints(taints, 'metadata.taints'));
  errs.push(...validateNodeCommon(node));
  return errs;
}

/** Update of the main resource or of /status (Kubernetes runs the same checks for both). */
export function validateNodeUpdate(node: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateObjectMetaUpdate(node.metadata, old.metadata);
  errs.push(...validateNodeCommon(node).filter((e) => !e.field.startsWith('spec.podCIDRs')));
  const status: Any = node.status ?? {};
  const seen = new Set<string>();
  (Array.isArray(status.addresses) ? status.addresses : []).forEach((a: Any, i: number) => {
    const key = `${str(a?.type)}\u0000${str(a?.address)}`;
    if (seen.has(key)) {
      errs.push({
        type: 'FieldValueDuplicate',
        field: `status.addresses[${i}]`,
        message: `Duplicate value: core.NodeAddress{Type:${JSON.stringify(str(a?.type))}, Address:${JSON.stringify(str(a?.address))}}`,
      });
    }
    seen.add(key);
  });
  const oldCidrs: string[] = Array.isArray(old.spec?.podCIDRs) ? old.spec.podCIDRs : [];
  const newCidrs: string[] = Array.isArray(node.spec?.podCIDRs) ? node.spec.podCIDRs : [];
  if (oldCidrs.length > 0) {
    const msg = 'node updates may not change podCIDR except from "" to valid';
    if (oldCidrs.length !== newCidrs.length) errs.push(forbidden('spec.podCIDRs', msg));
    else oldCidrs.forEach((c, i) => c !== newCidrs[i] && errs.push(forbidden('spec.podCIDRs', msg)));
  }
  const oldProvider = str(old.spec?.providerID);
  if (oldProvider && oldProvider !== str(node.spec?.providerID)) {
    errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  const taints: Any[] = Array.isArray(node.spec?.taints) ? node.spec.taints : [];
  if (taints.length > 0) errs.push(...validateNodeTaints(taints, 'metadata.taints'));
  if (str(node.spec?.externalID) !== str(old.spec?.externalID)) errs.push(forbidden('spec.externalID', 'may not be updated'));
  return errs;
}
