// kubectl describe pod / node / namespace: the sections Kubernetes prints, with Events (the scheduler's Scheduled
// event, and an aggregated event shown as "(xN over …)").
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, json, startCluster, writeManifest } from './cluster.ts';
import type { Cluster } from './cluster.ts';

const now = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString().replace(/\.\d+Z$/, 'Z');

const nodeYaml = (name: string) => `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels: {kubernetes.io/hostname: ${name}, kubernetes.io/os: linux}
spec:
  podCIDR: 10.42.7.0/24
  podCIDRs: [10.42.7.0/24]
status:
  capacity: {cpu: "4", memory: 8Gi, pods: "110", ephemeral-storage: 20Gi}
  allocatable: {cpu: "4", memory: 8Gi, pods: "110", ephemeral-storage: 20Gi}
  addresses:
  - {type: InternalIP, address: 10.9.0.7}
  - {type: Hostname, address: ${name}}
  nodeInfo:
    kubeletVersion: v1.32.4
    osImage: Debian GNU/Linux 12 (bookworm)
    kernelVersion: 6.1.0-test
    containerRuntimeVersion: containerd://1.7.24
    operatingSystem: linux
    architecture: amd64
    machineID: m1
    systemUUID: s1
    bootID: b1
    kubeProxyVersion: ""
  conditions:
  - {type: Ready, status: "True", reason: KubeletReady, message: kubelet is posting ready status, lastHeartbeatTime: "${now()}", lastTransitionTime: "${now()}"}
`;

describe('kubectl describe', { timeout: 120_000 }, () => {
  let cluster: Cluster;
  let podUid = '';
  before(async () => {
    cluster = await startCluster();
    await cluster.kubectl(['create', '-f', writeManifest(cluster, 'node.yaml', nodeYaml('desc-node'))]);
    await cluster.kubectl(['create', '-f', writeManifest(cluster, 'lease.yaml', `apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: desc-node, namespace: kube-node-lease}
spec: {holderIdentity: desc-node, leaseDurationSeconds: 40, renewTime: "${now().replace('Z', '.000000Z')}"}
`)]);
    await cluster.kubectl(['create', '-f', writeManifest(cluster, 'pod.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: desc
  labels: {app: desc}
  annotations: {team: presentation}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [sleep, "3600"]
    ports: [{containerPort: 8080}]
    env: [{name: MODE, value: test}]
    resources: {requests: {cpu: 100m, memory: 64Mi}}
`)]);
    const pod = await eventually(async () => {
      const p = json(await cluster.kubectl(['get', 'pod', 'desc', '-o', 'json']));
      return p.spec.nodeName ? p : undefined;
    }, 20_000, 'the scheduler to bind pod desc');
    podUid = pod.metadata.uid;
    // An event repeated four times, as the kubelet's recorder leaves it (count + first/last timestamps).
    await cluster.kubectl(['create', '-f', writeManifest(cluster, 'event.yaml', `apiVersion: v1
kind: Event
metadata: {name: desc.backoff, namespace: default}
involvedObject: {kind: Pod, name: desc, namespace: default, uid: ${podUid}, apiVersion: v1, fieldPath: "spec.containers{app}"}
reason: BackOff
message: Back-off pulling image "busybox:1.36"
type: Normal
source: {component: kubelet, host: desc-node}
firstTimestamp: "${now(-300_000)}"
lastTimestamp: "${now(-10_000)}"
count: 4
`)]);
  });
  after(async () => { await cluster?.stop(); });

  test('describe pod: the usual sections and its Events', async () => {
    const r = await cluster.kubectl(['describe', 'pod', 'desc']);
    const out = r.stdout;
    for (const section of ['Name:', 'Namespace:', 'Priority:', 'Service Account:', 'Node:', 'Labels:', 'Annotations:', 'Status:', 'IP:', 'Containers:', 'Conditions:', 'Volumes:', 'QoS Class:', 'Node-Selectors:', 'Tolerations:', 'Events:']) {
      assert.match(out, new RegExp(`^${section}`, 'm'), `section ${section}\n${out}`);
    }
    assert.match(out, /^Name:\s+desc$/m);
    assert.match(out, /^Namespace:\s+default$/m);
    assert.match(out, /^Node:\s+desc-node\//m);
    assert.match(out, /^Labels:\s+app=desc$/m);
    assert.match(out, /^Annotations:\s+team: presentation$/m);
    assert.match(out, /^ {2}app:\n {4}Image:\s+busybox:1\.36$/m);
    assert.match(out, /^ {4}Port:\s+8080\/TCP$/m);
    assert.match(out, /^ {4}Requests:\n {6}cpu:\s+100m\n {6}memory:\s+64Mi$/m);
    assert.match(out, /^ {6}MODE:\s+test$/m);
    assert.match(out, /^QoS Class:\s+Burstable$/m);
    assert.match(out, /^ {2}PodScheduled\s+True/m);
    assert.match(out, /^ {2}Type\s+Reason\s+Age\s+From\s+Message$/m);
    assert.match(out, /^ {2}Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/desc to desc-node$/m);
    assert.match(out, /^ {2}Normal\s+BackOff\s+\S+ \(x4 over \S+\)\s+kubelet\s+Back-off pulling image "busybox:1\.36"$/m);
  });

  test('describe node: conditions, addresses, capacity, system info, pods, allocated resources, events', async () => {
    const out = (await cluster.kubectl(['describe', 'node', 'desc-node'])).stdout;
    for (const section of ['Name:', 'Roles:', 'Labels:', 'Annotations:', 'CreationTimestamp:', 'Taints:', 'Unschedulable:', 'Lease:', 'Conditions:', 'Addresses:', 'Capacity:', 'Allocatable:', 'System Info:', 'PodCIDR:', 'PodCIDRs:', 'Non-terminated Pods:', 'Allocated resources:', 'Events:']) {
      assert.match(out, new RegExp(`^${section}`, 'm'), `section ${section}\n${out}`);
    }
    assert.match(out, /^Name:\s+desc-node$/m);
    assert.match(out, /^ {2}HolderIdentity:\s+desc-node$/m);
    assert.match(out, /^ {2}Ready\s+True\s+.+KubeletReady\s+kubelet is posting ready status$/m);
    assert.match(out, /^ {2}InternalIP:\s+10\.9\.0\.7$/m);
    assert.match(out, /^ {2}cpu:\s+4$/m);
    assert.match(out, /^ {2}Kubelet Version:\s+v1\.32\.4$/m);
    assert.match(out, /^Non-terminated Pods:\s+\(1 in total\)$/m);
    assert.match(out, /^ {2}default\s+desc\s+100m \(2%\)\s+0 \(0%\)\s+64Mi \(0%\)\s+0 \(0%\)/m);
    assert.match(out, /^ {2}cpu\s+100m \(2%\)\s+0 \(0%\)$/m);
    assert.match(out, /^PodCIDR:\s+10\.42\.7\.0\/24$/m);
  });

  test('describe namespace: name, labels, status', async () => {
    const out = (await cluster.kubectl(['describe', 'namespace', 'default'])).stdout;
    assert.match(out, /^Name:\s+default$/m);
    assert.match(out, /^Labels:\s+kubernetes\.io\/metadata\.name=default$/m);
    assert.match(out, /^Annotations:\s+<none>$/m);
    assert.match(out, /^Status:\s+Active$/m);
  });
});
