/**
 * What the agent reports about its machine: addresses, capacity, nodeInfo, labels — the inputs of the Node object.
 * Gathered once per start (capacity is re-read for each status report).
 *
 *   const facts = await gatherNodeFacts({ nodeName: 'n1', dataDir: '/var/lib/k8ts', runtimeVersion: 'containerd://1.6.20' });
 */
import { createHash } from 'node:crypto';
import { readFile, statfs } from 'node:fs/promises';
import os from 'node:os';

export const KUBELET_VERSION = 'v1.32.4-k8ts';
export const MAX_PODS = 110;

export interface NodeFacts {
  nodeName: string;
  hostname: string;
  labels: Record<string, string>;
  addresses: { type: string; address: string }[];
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  nodeInfo: Record<string, string>;
  /** The agent's stream/log server port (status.daemonEndpoints.kubeletEndpoint.Port). */
  agentPort: number;
}

export interface NodeFactsOptions {
  nodeName: string;
  dataDir: string;
  /** `containerd://<version>` from the CRI Version call. */
  runtimeVersion: string;
  agentPort?: number;
  /** The InternalIP to report (kubelet --node-ip); default: the first non-loopback IPv4. */
  address?: string;
  /** A simulated node: ids derive from its name, not the machine's. */
  simulated?: boolean;
  cpu?: number;
  memoryBytes?: number;
  ephemeralBytes?: number;
}

/** Go's GOARCH for node's process.arch. */
export const goArch = (arch: string = process.arch): string =>
  ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[arch] ?? arch;

/** The first non-internal IPv4 address, else 127.0.0.1. */
export function internalIp(): string {
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

const readTrim = async (path: string) => {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return '';
  }
};

async function osImage(): Promise<string> {
  const text = await readTrim('/etc/os-release');
  const m = /^PRETTY_NAME=(.*)$/m.exec(text);
  return m ? m[1].replace(/^"|"$/g, '') : 'Linux';
}

/** A stable per-(machine, node name) id in machine-id form, so simulated nodes on one machine differ. */
const idFor = (seed: string) => createHash('sha256').update(seed).digest('hex').slice(0, 32);
const uuidForm = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;

export async function storageBytes(dir: string): Promise<number> {
  try {
    const s = await statfs(dir);
    return s.blocks * s.bsize;
  } catch {
    return 0;
  }
}

export async function gatherNodeFacts(o: NodeFactsOptions): Promise<NodeFacts> {
  const hostname = os.hostname();
  const machineIdRaw = (await readTrim('/etc/machine-id')) || idFor(hostname);
  const real = !o.simulated; // simulated nodes derive ids from their name
  const machineID = real ? machineIdRaw : idFor(`${machineIdRaw}/${o.nodeName}`);
  const productUuid = real ? await readTrim('/sys/class/dmi/id/product_uuid') : '';
  const bootID = real ? (await readTrim('/proc/sys/kernel/random/boot_id')) || uuidForm(idFor(`boot/${hostname}`)) : uuidForm(idFor(`boot/${machineIdRaw}/${o.nodeName}`));
  const arch = goArch();
  const cpu = o.cpu ?? os.cpus().length;
  const memKi = Math.floor((o.memoryBytes ?? os.totalmem()) / 1024);
  const storage = o.ephemeralBytes ?? (await storageBytes(o.dataDir));
  const capacity: Record<string, string> = {
    cpu: String(cpu),
    'ephemeral-storage': `${Math.floor(storage / 1024)}Ki`,
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: `${memKi}Ki`,
    pods: String(MAX_PODS),
  };
  // kubelet: allocatable = capacity − reserved − eviction threshold (memory.available<100Mi, nodefs.available<10%)
  const allocatable: Record<string, string> = {
    ...capacity,
    'ephemeral-storage': String(Math.floor(storage * 0.9)),
    memory: `${Math.max(0, memKi - 100 * 1024)}Ki`,
  };
  return {
    nodeName: o.nodeName,
    hostname,
    labels: {
      'beta.kubernetes.io/arch': arch,
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': arch,
      'kubernetes.io/hostname': o.nodeName,
      'kubernetes.io/os': 'linux',
    },
    addresses: [
      { type: 'InternalIP', address: o.address ?? internalIp() },
      { type: 'Hostname', address: o.nodeName },
    ],
    capacity,
    allocatable,
    nodeInfo: {
      architecture: arch,
      bootID,
      containerRuntimeVersion: o.runtimeVersion,
      kernelVersion: os.release(),
      kubeletVersion: KUBELET_VERSION,
      machineID,
      operatingSystem: 'linux',
      osImage: await osImage(),
      systemUUID: productUuid || uuidForm(machineID),
    },
    agentPort: o.agentPort ?? 10250,
  };
}
