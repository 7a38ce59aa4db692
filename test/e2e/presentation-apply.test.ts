// kubectl server-side apply (create, conflicts, --force-conflicts, managedFields), client-side apply over a created
// object, dry-run=server on create / replace / patch / delete / apply, and kubectl diff.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, writeManifest, json } from './cluster.ts';
import type { Cluster } from './cluster.ts';

const podYaml = (name: string, labels: Record<string, string>) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
${Object.entries(labels).map(([k, v]) => `    ${k}: ${v}`).join('\n')}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
`;

describe('kubectl: server-side apply, dry-run, diff', { timeout: 120_000 }, () => {
  let cluster: Cluster;
  before(async () => { cluster = await startCluster(); });
  after(async () => { await cluster?.stop(); });

  test('apply --server-side creates; another manager conflicts (409) until --force-conflicts; managedFields show owners', async () => {
    const file = writeManifest(cluster, 'ssa.yaml', podYaml('ssa', { app: 'web' }));
    let r = await cluster.kubectl(['apply', '--server-side', '-f', file]);
    assert.equal(r.stdout.trim(), 'pod/ssa serverside-applied');

    r = await cluster.kubectl(['apply', '--server-side', '-f', file]);
    assert.equal(r.stdout.trim(), 'pod/ssa serverside-applied');

    const other = writeManifest(cluster, 'ssa-other.yaml', podYaml('ssa', { app: 'other' }));
    r = await cluster.kubectl(['apply', '--server-side', '--field-manager=other', '-f', other], { allowFail: true });
    assert.notEqual(r.code, 0);
    // kube-apiserver names Apply managers without "using <version>" (that is for Update managers).
    assert.match(r.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl": \.metadata\.labels\.app$/m);
    assert.match(r.stderr, /re-run the apply\s+command with the `--force-conflicts` flag/);
    assert.equal(json(await cluster.kubectl(['get', 'pod', 'ssa', '-o', 'json'])).metadata.labels.app, 'web');

    r = await cluster.kubectl(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', other]);
    assert.equal(r.stdout.trim(), 'pod/ssa serverside-applied');

    r = await cluster.kubectl(['get', 'pod', 'ssa', '-o', 'yaml', '--show-managed-fields']);
    assert.match(r.stdout, /^ {4}app: other$/m);
    assert.match(r.stdout, /managedFields:/);
    assert.match(r.stdout, /manager: kubectl\n {4}operation: Apply/);
    assert.match(r.stdout, /manager: other\n {4}operation: Apply/);
    assert.match(r.stdout, /fieldsType: FieldsV1/);
    const pod = json(await cluster.kubectl(['get', 'pod', 'ssa', '-o', 'json', '--show-managed-fields']));
    const mine = pod.metadata.managedFields.find((m: any) => m.manager === 'kubectl');
    assert.equal(JSON.stringify(mine.fieldsV1).includes('f:app'), false, 'the forced apply took .metadata.labels.app from kubectl');
    assert.ok(pod.metadata.managedFields.find((m: any) => m.manager === 'other').fieldsV1['f:metadata']['f:labels']['f:app']);
    // without --show-managed-fields kubectl hides them
    r = await cluster.kubectl(['get', 'pod', 'ssa', '-o', 'yaml']);
    assert.doesNotMatch(r.stdout, /managedFields/);
  });

  test('create records the kubectl-create manager; a later client-side apply warns about the missing annotation and works', async () => {
    const file = writeManifest(cluster, 'csa.yaml', podYaml('csa', { app: 'one' }));
    let r = await cluster.kubectl(['create', '-f', file]);
    assert.equal(r.stdout.trim(), 'pod/csa created');
    let pod = json(await cluster.kubectl(['get', 'pod', 'csa', '-o', 'json', '--show-managed-fields']));
    // (the scheduler's status write, in-process, is recorded too, under the status subresource)
    const main = pod.metadata.managedFields.filter((m: any) => !m.subresource);
    assert.deepEqual(main.map((m: any) => `${m.manager}/${m.operation}`), ['kubectl-create/Update']);
    assert.ok(main[0].fieldsV1['f:spec']['f:containers']['k:{"name":"app"}']['f:image']);

    writeManifest(cluster, 'csa.yaml', podYaml('csa', { app: 'two' }));
    r = await cluster.kubectl(['apply', '-f', file]);
    assert.equal(r.stdout.trim(), 'pod/csa configured');
    assert.match(r.stderr, /Warning: resource pods\/csa is missing the kubectl\.kubernetes\.io\/last-applied-configuration annotation which is required by kubectl apply/);
    assert.match(r.stderr, /The missing annotation will be patched automatically\./);
    pod = json(await cluster.kubectl(['get', 'pod', 'csa', '-o', 'json', '--show-managed-fields']));
    assert.equal(pod.metadata.labels.app, 'two');
    assert.ok(pod.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    assert.ok(pod.metadata.managedFields.some((m: any) => m.manager === 'kubectl-client-side-apply' && m.operation === 'Update'));

    r = await cluster.kubectl(['apply', '-f', file]);
    assert.equal(r.stdout.trim(), 'pod/csa unchanged');
    assert.equal(r.stderr, '');
  });

  test('--dry-run=server on create, replace, patch, label, delete and apply writes nothing', async () => {
    const file = writeManifest(cluster, 'dry.yaml', podYaml('dry', { app: 'dry' }));
    await cluster.kubectl(['create', '-f', file]);
    const before = json(await cluster.kubectl(['get', 'pod', 'dry', '-o', 'json']));

    const fresh = writeManifest(cluster, 'dry-new.yaml', podYaml('dry-new', { app: 'dry' }));
    let r = await cluster.kubectl(['create', '-f', fresh, '--dry-run=server']);
    assert.equal(r.stdout.trim(), 'pod/dry-new created (server dry run)');
    r = await cluster.kubectl(['get', 'pod', 'dry-new'], { allowFail: true });
    assert.match(r.stderr, /Error from server \(NotFound\): pods "dry-new" not found/);

    const changed = writeManifest(cluster, 'dry-changed.yaml', podYaml('dry', { app: 'changed' }));
    r = await cluster.kubectl(['replace', '-f', changed, '--dry-run=server']);
    assert.equal(r.stdout.trim(), 'pod/dry replaced (server dry run)');
    r = await cluster.kubectl(['label', 'pod', 'dry', 'extra=1', '--dry-run=server']);
    assert.equal(r.stdout.trim(), 'pod/dry labeled (server dry run)');
    await cluster.kubectl(['patch', 'pod', 'dry', '-p', '{"metadata":{"labels":{"patched":"1"}}}', '--dry-run=server']);
    r = await cluster.kubectl(['apply', '-f', changed, '--dry-run=server']);
    assert.equal(r.stdout.trim(), 'pod/dry configured (server dry run)');
    r = await cluster.kubectl(['apply', '--server-side', '--force-conflicts', '-f', changed, '--dry-run=server']);
    assert.match(r.stdout, /^pod\/dry serverside-applied \(server dry run\)$/m);
    r = await cluster.kubectl(['delete', 'pod', 'dry', '--dry-run=server']);
    assert.equal(r.stdout.trim(), 'pod "dry" deleted (server dry run)');

    const after = json(await cluster.kubectl(['get', 'pod', 'dry', '-o', 'json']));
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.deepEqual(after.metadata.labels, { app: 'dry' });
    assert.equal(after.metadata.deletionTimestamp, undefined);
  });

  test('kubectl diff: a changed manifest prints a unified diff (exit 1); an unchanged one prints nothing (exit 0)', async () => {
    const file = writeManifest(cluster, 'diff.yaml', podYaml('diff', { app: 'before' }));
    await cluster.kubectl(['apply', '-f', file]);
    let r = await cluster.kubectl(['diff', '-f', file], { allowFail: true });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');

    writeManifest(cluster, 'diff.yaml', podYaml('diff', { app: 'after' }));
    r = await cluster.kubectl(['diff', '-f', file], { allowFail: true });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^diff -u -N /m);
    assert.match(r.stdout, /^-    app: before$/m);
    assert.match(r.stdout, /^\+    app: after$/m);
    assert.doesNotMatch(r.stdout, /managedFields/);
    // diff is a dry run: nothing changed
    assert.equal(json(await cluster.kubectl(['get', 'pod', 'diff', '-o', 'json'])).metadata.labels.app, 'before');
  });
});
