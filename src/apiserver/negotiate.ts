/**
 * Content negotiation from the Accept header, as the Kubernetes API server does it for kubectl:
 * the first media range we can serve wins (kubectl lists them in preference order and sends no q-values).
 *
 *   negotiateOutput('application/json;as=Table;v=v1;g=meta.k8s.io,application/json')  // { kind: 'table', version: 'v1' }
 *   negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json') // 'v2'
 */
import { notAcceptableError } from '../machinery/api-error.ts';

export interface MediaRange {
  /** `type/subtype`, lower-cased. */
  type: string;
  params: Record<string, string>;
}

export type OutputFormat = { kind: 'json' } | { kind: 'yaml' } | { kind: 'table'; version: 'v1' | 'v1beta1' };
export type DiscoveryFormat = 'v2' | 'v2beta1' | 'legacy';

/** The Content-Type of an aggregated discovery reply; kubectl decides "aggregated" from it, not from the body. */
export const discoveryContentType = (v: 'v2' | 'v2beta1') => `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`;

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  const out: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [type, ...rest] = part.split(';');
    const t = type.trim().toLowerCase();
    if (!t) continue;
    const params: Record<string, string> = {};
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    }
    out.push({ type: t, params });
  }
  return out;
}

const jsonLike = new Set(['application/json', 'application/vnd.kubernetes.protobuf', '*/*', 'application/*']);

const JSON_FORMAT: OutputFormat = { kind: 'json' };
const YAML_FORMAT: OutputFormat = { kind: 'yaml' };
const TABLE_V1: OutputFormat = { kind: 'table', version: 'v1' };
const TABLE_V1BETA1: OutputFormat = { kind: 'table', version: 'v1beta1' };

function outputOf(m: MediaRange): OutputFormat | undefined {
  const as = m.params.as;
  if (as) {
    if (as !== 'Table' || (m.params.g && m.params.g !== 'meta.k8s.io')) return undefined;
    if (m.type !== 'application/json' && m.type !== 'application/vnd.kubernetes.protobuf') return undefined;
    if (m.params.v === 'v1') return TABLE_V1;
    if (m.params.v === 'v1beta1') return TABLE_V1BETA1;
    return undefined;
  }
  if (m.params.g || m.params.v) return undefined; // some other typed form (e.g. a discovery list) we do not serve here
  if (jsonLike.has(m.type)) return JSON_FORMAT;
  if (m.type === 'application/yaml' || m.type === 'text/yaml') return YAML_FORMAT;
  return undefined;
}

const outputCache = new Map<string, OutputFormat | null>();

/** The format for an object/list reply. No Accept → JSON; nothing acceptable → 406 NotAcceptable. */
export function negotiateOutput(accept: string | undefined): OutputFormat {
  if (!accept) return JSON_FORMAT;
  let hit = outputCache.get(accept);
  if (hit === undefined) {
    hit = null;
    for (const m of parseAccept(accept)) {
      const f = outputOf(m);
      if (f) {
        hit = f;
        break;
      }
    }
    if (outputCache.size > 256) outputCache.clear();
    outputCache.set(accept, hit);
  }
  if (hit === null) throw notAcceptableError();
  return hit;
}

/** Aggregated discovery (v2 / v2beta1) when the client asks for it before plain JSON, else the legacy documents. */
export function negotiateDiscovery(accept: string | undefined): DiscoveryFormat {
  for (const m of parseAccept(accept)) {
    if (m.params.g === 'apidiscovery.k8s.io' && m.params.as === 'APIGroupDiscoveryList' && m.type === 'application/json') {
      if (m.params.v === 'v2') return 'v2';
      if (m.params.v === 'v2beta1') return 'v2beta1';
      continue;
    }
    if (outputOf(m)?.kind === 'json' || outputOf(m)?.kind === 'yaml') return 'legacy';
  }
  return 'legacy';
}
