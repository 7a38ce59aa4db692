// Server-side Tables as kubectl prints them: pods, nodes, namespaces, events, leases (normal and -o wide),
// --show-labels, -L, --sort-by, get -w; plus api-resources, api-versions, cluster-info and version.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, writeManifest } from './cluster.ts';
import type { Cluster, KubectlResult } from './cluster.ts';

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

const nodeYaml = (name: string) => `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels:
    node-role.kubernetes.io/control-plane: ""
    zone: z1
status:
  capacity: {cpu: "2", memory: 4Gi, pods: "110"}
  allocatable: {cpu: "2", memory: 4Gi, pods: "110"}
  addresses:
  - {type: InternalIP, address: 10.9.0.5}
  nodeInfo:
    kubeletVersion: v1.32.4
    osImage: Debian GNU/Linux 12 (bookworm)
    kernelVersion: 6.1.0-test
    containerRuntimeVersion: containerd://1.7.24
    operatingSystem: linux
    architecture: amd64
    machineID: ""
    systemUUID: ""
    bootID: ""
    kubeProxyVersion: ""
  conditions:
  - {type: Ready, status: "True", reason: KubeletReady, message: kubelet is posting ready status, lastHeartbeatTime: "${now()}", lastTransitionTime: "${now()}"}
`;

const podYaml = (name: string, app: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: ${app}, tier: web}
spec:
  nodeName: tbl-node
  containers:
  - {name: app, image: busybox:1.36, command: [sleep, "3600"]}
`;

/** Rows of a kubectl table as arrays of cells (split on 2+ spaces). */
const rows = (r: KubectlResult) => r.stdout.trimEnd().split('\n').map((l) => l.trim().split(/\s{2,}/));

describe('kubectl tables', { timeout: 120_000 }, () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster();
    await cluster.kubectl(['create', '-f', writeManifest(cluster, 'node.yaml', nodeYaml('tbl-node'))]);
    await cluster.kubectl(['create', '-f', writeManifest(cluster, 'pod-b.yaml', podYaml('pod-b', 'beta'))]);
    await cluster.kubectl(['create', '-f', writeManifest(cluster, 'pod-a.yaml', podYaml('pod-a', 'zeta'))]);
  });
  after(async () => { await cluster?.stop(); });

  test('pods: NAME READY STATUS RESTARTS AGE; -o wide adds IP NODE NOMINATED NODE READINESS GATES', async () => {
    let t = rows(await cluster.kubectl(['get', 'pods']));
    assert.deepEqual(t[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(t.slice(1).map((r) => r.slice(0, 4)), [['pod-a', '0/1', 'Pending', '0'], ['pod-b', '0/1', 'Pending', '0']]);
    assert.match(t[1]![4]!, /^\d+s$/);
    t = rows(await cluster.kubectl(['get', 'pods', '-o', 'wide']));
    assert.deepEqual(t[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    assert.deepEqual(t[1]!.slice(5), ['<none>', 'tbl-node', '<none>', '<none>']);
    t = rows(await cluster.kubectl(['get', 'pods', '-A']));
    assert.deepEqual(t[0], ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.equal(t[1]![0], 'default');
  });

  test('--show-labels, -L, --sort-by', async () => {
    let t = rows(await cluster.kubectl(['get', 'pods', '--show-labels']));
    assert.equal(t[0]!.at(-1), 'LABELS');
    assert.equal(t[1]!.at(-1), 'app=zeta,tier=web');
    t = rows(await cluster.kubectl(['get', 'pods', '-L', 'app', '-L', 'tier']));
    assert.deepEqual(t[0]!.slice(-2), ['APP', 'TIER']);
    assert.deepEqual(t[2]!.slice(-2), ['beta', 'web']);
    t = rows(await cluster.kubectl(['get', 'pods', '--sort-by=.metadata.name']));
    assert.deepEqual(t.slice(1).map((r) => r[0]), ['pod-a', 'pod-b']);
    t = rows(await cluster.kubectl(['get', 'pods', '--sort-by=.metadata.labels.app', '-o', 'wide']));
    assert.deepEqual(t.slice(1).map((r) => r[0]), ['pod-b', 'pod-a'], 'beta sorts before zeta');
    assert.equal(t[0]!.length, 9);
  });

  test('nodes: NAME STATUS ROLES AGE VERSION; wide adds addresses and node info', async () => {
    let t = rows(await cluster.kubectl(['get', 'nodes']));
    assert.deepEqual(t[0], ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    assert.deepEqual([t[1]![0], t[1]![1], t[1]![2], t[1]![4]], ['tbl-node', 'Ready', 'control-plane', 'v1.32.4']);
    t = rows(await cluster.kubectl(['get', 'nodes', '-o', 'wide']));
    assert.deepEqual(t[0], ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
    assert.deepEqual(t[1]!.slice(5), ['10.9.0.5', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0-test', 'containerd://1.7.24']);
    t = rows(await cluster.kubectl(['get', 'nodes', '-L', 'zone']));
    assert.deepEqual([t[0]!.at(-1), t[1]!.at(-1)], ['ZONE', 'z1']);
  });

  test('namespaces, leases and events', async () => {
    let t = rows(await cluster.kubectl(['get', 'namespaces']));
    assert.deepEqual(t[0], ['NAME', 'STATUS', 'AGE']);
    assert.deepEqual(t.slice(1).map((r) => r.slice(0, 2)), [['default', 'Active'], ['kube-node-lease', 'Active'], ['kube-public', 'Active'], ['kube-system', 'Active']]);

    await cluster.kubectl(['create', '-f', writeManifest(cluster, 'lease.yaml', `apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: tbl-node, namespace: kube-node-lease}
spec: {holderIdentity: tbl-node, leaseDurationSeconds: 40, renewTime: "${now().replace('Z', '.000000Z')}"}
`)]);
    t = rows(await cluster.kubectl(['get', 'leases', '-n', 'kube-node-lease']));
    assert.deepEqual(t[0], ['NAME', 'HOLDER', 'AGE']);
    assert.deepEqual(t[1]!.slice(0, 2), ['tbl-node', 'tbl-node']);

    await cluster.kubectl(['create', '-f', writeManifest(cluster, 'event.yaml', `apiVersion: v1
kind: Event
metadata: {name: pod-a.tbl1, namespace: default}
involvedObject: {kind: Pod, name: pod-a, namespace: default, fieldPath: "spec.containers{app}"}
reason: BackOff
message: "Back-off restarting failed container app"
type: Warning
source: {component: kubelet, host: tbl-node}
firstTimestamp: "${now()}"
lastTimestamp: "${now()}"
count: 4
`)]);
    t = rows(await cluster.kubectl(['get', 'events', '--field-selector', 'reason=BackOff']));
    assert.deepEqual(t[0], ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    assert.deepEqual(t[1]!.slice(1), ['Warning', 'BackOff', 'pod/pod-a', 'Back-off restarting failed container app']);
    t = rows(await cluster.kubectl(['get', 'events', '-o', 'wide', '--field-selector', 'reason=BackOff']));
    assert.deepEqual(t[0], ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME']);
    assert.deepEqual(t[1]!.slice(4, 6), ['spec.containers{app}', 'kubelet, tbl-node']);
    assert.deepEqual(t[1]!.slice(8), ['4', 'pod-a.tbl1']);
  });

  test('get -w prints the table, then a row per change', async () => {
    const watch = cluster.spawnKubectl(['get', 'pods', '-w']);
    try {
      await watch.waitFor(/^pod-b\s+0\/1\s+Pending/m);
      assert.match(watch.stdout(), /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
      await cluster.kubectl(['create', '-f', writeManifest(cluster, 'pod-c.yaml', podYaml('pod-c', 'gamma'))]);
      await watch.waitFor(/^pod-c\s+0\/1\s+Pending\s+0\s+\S+$/m);
      await cluster.kubectl(['delete', 'pod', 'pod-c', '--grace-period=0', '--force', '--wait=false']);
      await watch.waitFor(/^pod-c\s+0\/1\s+(Pending|Terminating)\s+0\s+\S+\n[\s\S]*^pod-c/m);
      assert.equal(watch.stdout().match(/^NAME\s/gm)!.length, 1, 'headers once');
    } finally {
      await watch.kill();
    }
  });

  test('api-resources, api-versions, cluster-info, version', async () => {
    let r = await cluster.kubectl(['api-resources']);
    const t = rows(r);
    assert.deepEqual(t[0], ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    const byName = new Map(t.slice(1).map((row) => [row[0], row]));
    assert.deepEqual(byName.get('pods'), ['pods', 'po', 'v1', 'true', 'Pod']);
    assert.deepEqual(byName.get('nodes'), ['nodes', 'no', 'v1', 'false', 'Node']);
    assert.deepEqual(byName.get('namespaces'), ['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    assert.deepEqual(byName.get('events'), ['events', 'ev', 'v1', 'true', 'Event']);
    assert.deepEqual(byName.get('leases'), ['leases', 'coordination.k8s.io/v1', 'true', 'Lease']);
    r = await cluster.kubectl(['api-versions']);
    assert.ok(r.stdout.split('\n').includes('v1'));
    assert.ok(r.stdout.split('\n').includes('coordination.k8s.io/v1'));
    r = await cluster.kubectl(['cluster-info']);
    assert.match(r.stdout, new RegExp(`Kubernetes control plane is running at https://127\\.0\\.0\\.1:${cluster.port}`));
    r = await cluster.kubectl(['version']);
    assert.match(r.stdout, /^Client Version: v1\.\d+/m);
    assert.match(r.stdout, /^Server Version: v1\.32\.\d+/m);
  });
});
