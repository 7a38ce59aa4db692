// kubectl explain over our OpenAPI v3 (descriptions, nested fields, --recursive) and server-side field validation:
// fieldValidation Strict (400, unknown and duplicate fields), Warn (Warning: lines), Ignore; unknown fields never stored.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, writeManifest, json } from './cluster.ts';
import type { Cluster } from './cluster.ts';

const badPod = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  foo: 1
  containers:
  - name: app
    image: busybox:1.36
    bar: true
`;

describe('kubectl explain and field validation', { timeout: 120_000 }, () => {
  let cluster: Cluster;
  before(async () => { cluster = await startCluster(); });
  after(async () => { await cluster?.stop(); });

  test('explain pods / pod.spec.containers / pod.spec --recursive print our schema and descriptions', async () => {
    let r = await cluster.kubectl(['explain', 'pods']);
    assert.match(r.stdout, /^KIND:\s+Pod$/m);
    assert.match(r.stdout, /^VERSION:\s+v1$/m);
    assert.match(r.stdout, /DESCRIPTION:\n\s+A group of containers/);
    assert.match(r.stdout, /^ {2}spec\t<PodSpec>$/m);
    assert.match(r.stdout, /^ {2}metadata\t<ObjectMeta>$/m);

    r = await cluster.kubectl(['explain', 'pod.spec.containers']);
    assert.match(r.stdout, /^FIELD: containers <\[\]Container>$/m);
    assert.match(r.stdout, /Containers of the pod/);
    assert.match(r.stdout, /^ {2}image\t<string>$/m);
    assert.match(r.stdout, /^ {2}name\t<string> -required-$/m);
    assert.match(r.stdout, /^ {2}env\t<\[\]EnvVar>$/m);

    r = await cluster.kubectl(['explain', 'pod.spec', '--recursive']);
    assert.match(r.stdout, /^FIELD: spec <PodSpec>$/m);
    assert.match(r.stdout, /^ {2}containers\t<\[\]Container> -required-$/m);
    assert.match(r.stdout, /^ {4}image\t<string>$/m);
    assert.match(r.stdout, /^ {2}affinity\t<Affinity>\n {4}nodeAffinity\t<NodeAffinity>$/m);
    assert.ok(r.stdout.split('\n').length > 200, 'the recursive listing follows references');

    r = await cluster.kubectl(['explain', 'pod.spec.nosuchfield'], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /field "nosuchfield" does not exist/);
  });

  test('Strict (kubectl default): 400 with the strict decoding error, nothing created', async () => {
    const file = writeManifest(cluster, 'bad-strict.yaml', badPod('bad-strict'));
    let r = await cluster.kubectl(['create', '-f', file], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(BadRequest\): error when creating ".*bad-strict\.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec\.containers\[0\]\.bar", unknown field "spec\.foo"/);
    r = await cluster.kubectl(['apply', '--validate=strict', '-f', file], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /strict decoding error: unknown field "spec\.containers\[0\]\.bar", unknown field "spec\.foo"/);
    r = await cluster.kubectl(['get', 'pod', 'bad-strict'], { allowFail: true });
    assert.match(r.stderr, /NotFound/);
  });

  test('Warn: kubectl prints Warning: lines, the object is created without the unknown fields', async () => {
    const file = writeManifest(cluster, 'bad-warn.yaml', badPod('bad-warn'));
    const r = await cluster.kubectl(['apply', '--validate=warn', '-f', file]);
    assert.equal(r.stdout.trim(), 'pod/bad-warn created');
    assert.match(r.stderr, /^Warning: unknown field "spec\.containers\[0\]\.bar"$/m);
    assert.match(r.stderr, /^Warning: unknown field "spec\.foo"$/m);
    const pod = json(await cluster.kubectl(['get', 'pod', 'bad-warn', '-o', 'json']));
    assert.equal(pod.spec.foo, undefined);
    assert.equal(pod.spec.containers[0].bar, undefined);
    assert.equal(pod.spec.containers[0].image, 'busybox:1.36');

    // a patch with an unknown field: kubectl patch sends no fieldValidation (Warn)
    const p = await cluster.kubectl(['patch', 'pod', 'bad-warn', '-p', '{"spec":{"baz":1}}']);
    assert.match(p.stderr, /^Warning: unknown field "spec\.baz"$/m);
    assert.equal(json(await cluster.kubectl(['get', 'pod', 'bad-warn', '-o', 'json'])).spec.baz, undefined);
  });

  test('Ignore (--validate=false): created silently, unknown fields dropped', async () => {
    const file = writeManifest(cluster, 'bad-ignore.yaml', badPod('bad-ignore'));
    const r = await cluster.kubectl(['create', '--validate=false', '-f', file]);
    assert.equal(r.stdout.trim(), 'pod/bad-ignore created');
    assert.equal(r.stderr, '');
    const pod = json(await cluster.kubectl(['get', 'pod', 'bad-ignore', '-o', 'json']));
    assert.equal(pod.spec.foo, undefined);
    assert.equal(pod.spec.containers[0].bar, undefined);
  });

  test('duplicate JSON fields: Strict → 400 naming them, Warn → warning', async () => {
    const body = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"dup","name":"dup"},"spec":{"containers":[{"name":"a","image":"busybox","image":"busybox"}]}}';
    const file = writeManifest(cluster, 'dup.json', body);
    let r = await cluster.kubectl(['create', '--raw', '/api/v1/namespaces/default/pods?fieldValidation=Strict', '-f', file], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /strict decoding error: duplicate field "metadata\.name", duplicate field "spec\.containers\[0\]\.image"/);
    r = await cluster.kubectl(['create', '--raw', '/api/v1/namespaces/default/pods?fieldValidation=Warn', '-f', file]);
    assert.match(r.stderr, /^Warning: duplicate field "metadata\.name"$/m);
    assert.equal(JSON.parse(r.stdout).metadata.name, 'dup');
  });

  test('server-side apply of an unknown field is refused whatever the validation mode', async () => {
    const file = writeManifest(cluster, 'bad-ssa.yaml', badPod('bad-ssa'));
    const r = await cluster.kubectl(['apply', '--server-side', '--validate=false', '-f', file], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /failed to create typed patch object \(default\/bad-ssa; v1, Kind=Pod\): \.spec\.containers\[name="app"\]\.bar: field not declared in schema/);
  });
});
