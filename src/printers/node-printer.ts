import type { KubeObject } from '../api/object.ts';
import { humanDuration } from '../machinery/human-duration.ts';
import { ageOf, column, nameColumn, type Printer } from './printer.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const rolePrefix = 'node-role.kubernetes.io/';

export const nodePrinter: Printer = {
  columns: [
    nameColumn('The node name, unique in the cluster.'),
    column('Status', 'Ready, NotReady or Unknown from the Ready condition; SchedulingDisabled when cordoned.'),
    column('Roles', 'Roles taken from node-role.kubernetes.io/<role> labels.'),
    column('Age', 'Time since the node registered.'),
    column('Version', 'Version of the node agent.'),
    column('Internal-IP', 'First internal address of the node.', 1),
    column('External-IP', 'First external address of the node.', 1),
    column('OS-Image', 'Operating system image reported by the node.', 1),
    column('Kernel-Version', 'Kernel version reported by the node.', 1),
    column('Container-Runtime', 'Container runtime name and version.', 1),
  ],
  cells: (node, now) => {
    const age = ageOf(node.metadata.creationTimestamp, now);
    const info = node.status?.nodeInfo ?? {};
    return [
      node.metadata.name,
      nodeStatus(node),
      nodeRoles(node),
      age === undefined ? '<unknown>' : humanDuration(age),
      info.kubeletVersion ?? '',
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      info.osImage || '<unknown>',
      info.kernelVersion || '<unknown>',
      info.containerRuntimeVersion || '<unknown>',
    ];
  },
};

function nodeStatus(node: KubeObject): string {
  const ready = (node.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  const base = !ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
  return node.spec?.unschedulable ? `${base},SchedulingDisabled` : base;
}

function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith(rolePrefix) && key.length > rolePrefix.length) roles.add(key.slice(rolePrefix.length));
    if (key === 'kubernetes.io/role' && value) roles.add(value);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

const address = (node: KubeObject, type: string) =>
  (node.status?.addresses ?? []).find((a: any) => a.type === type)?.address ?? '<none>';
