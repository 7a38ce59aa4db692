// PodSandboxConfig for a pod, as kubelet's generatePodSandboxConfig builds it: metadata (attempt counts
// sandbox re-creations), hostname, log directory, DNS, host ports, labels/annotations, cgroup parent and the
// pod-level security context.
//
//   const config = buildSandboxConfig(deps, pod, 0);
//   const id = await deps.cri.runPodSandbox(config);
import { readFileSync } from 'node:fs';
import type { KubeObject } from '../../api/object.ts';
import type { DNSConfig, NamespaceMode, PodSandboxConfig, PortMapping, Protocol } from '../../cri/cri-types.ts';
import { LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID, podCgroupParent, podLogDir, type PodSyncDeps } from './deps.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** nameservers / search / options of a resolv.conf text. */
export function parseResolvConf(text: string): Required<DNSConfig> {
  const out: Required<DNSConfig> = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) continue;
    const [key, ...rest] = line.split(/\s+/);
    if (key === 'nameserver' && rest[0]) out.servers.push(rest[0]);
    else if (key === 'search' || key === 'domain') out.searches = rest; // the last one wins, as in the resolver
    else if (key === 'options') out.options.push(...rest);
  }
  return out;
}

let hostResolv: { at: number; value: Required<DNSConfig> } | undefined;

/** The host's resolver settings (cached for 10 s). */
export function hostDnsConfig(path = '/etc/resolv.conf'): Required<DNSConfig> {
  if (hostResolv && Date.now() - hostResolv.at < 10_000) return hostResolv.value;
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    // no resolv.conf: empty config
  }
  hostResolv = { at: Date.now(), value: parseResolvConf(text) };
  return hostResolv.value;
}

/**
 * The pod's DNS config. There is no cluster DNS, so ClusterFirst falls back to the host's resolver (as kubelet
 * does when it has no clusterDNS); None uses only spec.dnsConfig; spec.dnsConfig is merged on top otherwise.
 */
export function podDnsConfig(pod: KubeObject, host: Required<DNSConfig> = hostDnsConfig()): DNSConfig {
  const spec = pod.spec ?? {};
  const base: Required<DNSConfig> = spec.dnsPolicy === 'None'
    ? { servers: [], searches: [], options: [] }
    : { servers: [...host.servers], searches: [...host.searches], options: [...host.options] };
  const extra = spec.dnsConfig ?? {};
  for (const s of extra.nameservers ?? []) if (!base.servers.includes(s)) base.servers.push(s);
  for (const s of extra.searches ?? []) if (!base.searches.includes(s)) base.searches.push(s);
  if (Array.isArray(extra.options)) {
    const opts = new Map<string, string>();
    for (const o of base.options) {
      const [k, v] = o.split(':');
      opts.set(k!, o.includes(':') ? `${k}:${v}` : k!);
    }
    for (const o of extra.options as { name: string; value?: string }[]) opts.set(o.name, o.value !== undefined ? `${o.name}:${o.value}` : o.name);
    base.options = [...opts.values()];
  }
  return base;
}

/** Host ports of every container (containerPort → hostPort), as portmap wants them. */
export function podPortMappings(pod: KubeObject): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])] as Any[]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      out.push({ protocol: (p.protocol ?? 'TCP') as Protocol, container_port: p.containerPort, host_port: p.hostPort, host_ip: p.hostIP ?? '' });
    }
  }
  return out;
}

export function namespaceModes(spec: Any): { network: NamespaceMode; pid: NamespaceMode; ipc: NamespaceMode } {
  return {
    network: spec.hostNetwork ? 'NODE' : 'POD',
    pid: spec.hostPID ? 'NODE' : spec.shareProcessNamespace ? 'POD' : 'CONTAINER',
    ipc: spec.hostIPC ? 'NODE' : 'POD',
  };
}

/** The sandbox config for `pod`; `attempt` counts re-creations of the sandbox (0 first). */
export function buildSandboxConfig(deps: Pick<PodSyncDeps, 'logDir' | 'cgroupParent'>, pod: KubeObject, attempt: number): PodSandboxConfig {
  const { name = '', namespace = 'default', uid = '' } = pod.metadata;
  const spec: Any = pod.spec ?? {};
  const psc: Any = spec.securityContext ?? {};
  const privileged = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].some((c: Any) => c.securityContext?.privileged === true);
  const hostname = spec.hostNetwork ? undefined : (spec.hostname || name).slice(0, 63);
  const config: PodSandboxConfig = {
    metadata: { name, uid, namespace, attempt },
    log_directory: podLogDir(deps, pod),
    dns_config: podDnsConfig(pod),
    port_mappings: podPortMappings(pod),
    labels: { ...(pod.metadata.labels ?? {}), [LABEL_POD_NAME]: name, [LABEL_POD_NAMESPACE]: namespace, [LABEL_POD_UID]: uid },
    annotations: { ...(pod.metadata.annotations ?? {}) },
    linux: {
      cgroup_parent: podCgroupParent(deps, uid),
      security_context: {
        namespace_options: namespaceModes(spec),
        privileged,
        seccomp: { profile_type: psc.seccompProfile?.type === 'RuntimeDefault' ? 'RuntimeDefault' : 'Unconfined' },
        ...(typeof psc.runAsUser === 'number' ? { run_as_user: { value: psc.runAsUser } } : {}),
        ...(typeof psc.runAsGroup === 'number' ? { run_as_group: { value: psc.runAsGroup } } : {}),
        supplemental_groups: [...(typeof psc.fsGroup === 'number' ? [psc.fsGroup] : []), ...(psc.supplementalGroups ?? [])],
      },
      sysctls: Object.fromEntries(((psc.sysctls ?? []) as { name: string; value: string }[]).map((s) => [s.name, s.value])),
    },
  };
  if (hostname) config.hostname = hostname;
  return config;
}
