// Graceful deletion of a pod bound to a node: no agent runs, so a plain delete leaves the pod Terminating
// (deletionTimestamp set) until `delete --grace-period=0 --force` removes it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, writeManifest, json } from './cluster.ts';
import type { Cluster } from './cluster.ts';

describe('graceful pod deletion', { timeout: 180_000 }, () => {
  let cluster: Cluster;
  before(async () => { cluster = await startCluster(); });
  after(async () => { await cluster?.stop(); });

  test('a Node created with kubectl create -f, a Binding POSTed with create --raw', async () => {
    // Unschedulable and tainted, so a scheduler running in the server never picks it for the other pods.
    const node = writeManifest(cluster, 'node.yaml', `apiVersion: v1
kind: Node
metadata:
  name: e2e-node
  labels:
    kubernetes.io/hostname: e2e-node
spec:
  unschedulable: true
  taints:
  - key: e2e/no-schedule
    effect: NoSchedule
`);
    const r = await cluster.kubectl(['create', '-f', node]);
    assert.equal(r.stdout.trim(), 'node/e2e-node created');
    const nodes = await cluster.kubectl(['get', 'nodes']);
    assert.match(nodes.stdout, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n/);
    assert.match(nodes.stdout, /\ne2e-node\s/);

    const pod = writeManifest(cluster, 'gp.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: gp\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n');
    await cluster.kubectl(['create', '-f', pod]);
    const binding = writeManifest(cluster, 'binding.json', {
      apiVersion: 'v1', kind: 'Binding', metadata: { name: 'gp' }, target: { apiVersion: 'v1', kind: 'Node', name: 'e2e-node' },
    });
    const b = await cluster.kubectl(['create', '--raw', '/api/v1/namespaces/default/pods/gp/binding', '-f', binding]);
    const status = JSON.parse(b.stdout);
    assert.equal(status.kind, 'Status');
    assert.equal(status.status, 'Success');
    const bound = json(await cluster.kubectl(['get', 'pod', 'gp', '-o', 'json']));
    assert.equal(bound.spec.nodeName, 'e2e-node');
    assert.ok(bound.status.conditions?.some((c: any) => c.type === 'PodScheduled' && c.status === 'True'), JSON.stringify(bound.status));

    const again = await cluster.kubectl(['create', '--raw', '/api/v1/namespaces/default/pods/gp/binding', '-f', binding], { allowFail: true });
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /Conflict|already assigned/i);
  });

  test('delete --wait=false leaves a bound pod Terminating; --grace-period=0 --force removes it', async () => {
    const r = await cluster.kubectl(['delete', 'pod', 'gp', '--wait=false']);
    assert.equal(r.stdout.trim(), 'pod "gp" deleted');
    const pod = json(await cluster.kubectl(['get', 'pod', 'gp', '-o', 'json']));
    assert.match(pod.metadata.deletionTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(pod.metadata.deletionGracePeriodSeconds, 30);
    const deadline = Date.parse(pod.metadata.deletionTimestamp);
    assert.ok(deadline > Date.now() + 20_000 && deadline < Date.now() + 35_000, `deletionTimestamp ${pod.metadata.deletionTimestamp} ≈ now+30s`);
    const row = await cluster.kubectl(['get', 'pod', 'gp']);
    assert.match(row.stdout, /\ngp\s+0\/1\s+Terminating\s+0\s/);

    // A second, shorter delete moves the deadline earlier.
    await cluster.kubectl(['delete', 'pod', 'gp', '--wait=false', '--grace-period=20']);
    const shorter = json(await cluster.kubectl(['get', 'pod', 'gp', '-o', 'json']));
    assert.equal(shorter.metadata.deletionGracePeriodSeconds, 20);

    const force = await cluster.kubectl(['delete', 'pod', 'gp', '--grace-period=0', '--force']);
    assert.equal(force.stdout.trim(), 'pod "gp" force deleted');
    assert.match(force.stderr, /Immediate deletion does not wait for confirmation/);
    const gone = await cluster.kubectl(['get', 'pod', 'gp'], { allowFail: true });
    assert.match(gone.stderr, /Error from server \(NotFound\): pods "gp" not found/);
  });

  test('an unbound pod is deleted at once (no Terminating stage)', async () => {
    const pod = writeManifest(cluster, 'unbound.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: unbound\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n');
    await cluster.kubectl(['create', '-f', pod]);
    const started = Date.now();
    const r = await cluster.kubectl(['delete', 'pod', 'unbound']);
    assert.equal(r.stdout.trim(), 'pod "unbound" deleted');
    assert.ok(Date.now() - started < 10_000, 'delete of an unbound pod should not wait for a grace period');
    const gone = await cluster.kubectl(['get', 'pod', 'unbound'], { allowFail: true });
    assert.match(gone.stderr, /NotFound/);
  });
});
