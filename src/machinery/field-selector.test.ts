import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from './api-error.ts';
import {
  checkFieldSelector,
  escapeFieldValue,
  formatFieldSelector,
  matchesFields,
  parseFieldSelector,
  requiredFieldValue,
  unescapeFieldValue,
} from './field-selector.ts';
import { supportedFieldLabels } from '../api/selectable-fields.ts';

function badRequest(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 400);
    assert.equal(err.reason, 'BadRequest');
    return err.message;
  }
  assert.fail('expected a 400');
}

describe('parseFieldSelector', () => {
  it('empty selects everything', () => {
    assert.deepEqual(parseFieldSelector('').requirements, []);
    assert.deepEqual(parseFieldSelector(',').requirements, []);
    assert.ok(matchesFields(parseFieldSelector(''), {}));
  });

  it('parses =, == and != terms, sorted as upstream sorts them', () => {
    const sel = parseFieldSelector('status.phase!=Succeeded,metadata.name==web,spec.nodeName=n1');
    assert.deepEqual(sel.requirements, [
      { field: 'metadata.name', operator: '==', value: 'web' },
      { field: 'spec.nodeName', operator: '=', value: 'n1' },
      { field: 'status.phase', operator: '!=', value: 'Succeeded' },
    ]);
  });

  it('allows empty values', () => {
    assert.deepEqual(parseFieldSelector('involvedObject.namespace=').requirements, [
      { field: 'involvedObject.namespace', operator: '=', value: '' },
    ]);
    assert.deepEqual(parseFieldSelector('spec.nodeName!=').requirements, [{ field: 'spec.nodeName', operator: '!=', value: '' }]);
  });

  it('splits at the first operator; == is not = followed by =', () => {
    assert.deepEqual(parseFieldSelector('a==b').requirements[0], { field: 'a', operator: '==', value: 'b' });
    assert.deepEqual(parseFieldSelector('a!=b').requirements[0], { field: 'a', operator: '!=', value: 'b' });
    // "a=!b": '=' comes first, so the value is "!b".
    assert.deepEqual(parseFieldSelector('a=!b').requirements[0], { field: 'a', operator: '=', value: '!b' });
  });

  it('unescapes backslash sequences and keeps escaped commas inside a term', () => {
    const sel = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d,reason=x');
    assert.deepEqual(sel.requirements, [
      { field: 'metadata.name', operator: '=', value: 'a,b=c\\d' },
      { field: 'reason', operator: '=', value: 'x' },
    ]);
    assert.equal(formatFieldSelector(sel), 'metadata.name=a\\,b\\=c\\\\d,reason=x');
  });

  it('rejects terms without an operator', () => {
    assert.equal(badRequest(() => parseFieldSelector('foo')), "invalid selector: 'foo'; can't understand 'foo'");
    assert.equal(
      badRequest(() => parseFieldSelector('b=1,a')),
      "invalid selector: 'b=1,a'; can't understand 'a'",
    );
  });

  it('rejects bad escapes with upstream wording', () => {
    assert.equal(badRequest(() => parseFieldSelector('a=b=c')), 'invalid field selector: unescaped character in value: 61');
    assert.equal(badRequest(() => parseFieldSelector('a=b\\x')), 'invalid field selector: invalid escape sequence: \\x');
    assert.equal(badRequest(() => parseFieldSelector('a=b\\')), 'invalid field selector: invalid escape sequence: \\');
  });

  it('escape and unescape round-trip', () => {
    for (const s of ['', 'plain', 'a,b', 'x=y', 'back\\slash', '\\,=']) assert.equal(unescapeFieldValue(escapeFieldValue(s)), s);
  });
});

describe('checkFieldSelector', () => {
  it('accepts supported labels and rejects others with the upstream message', () => {
    const sel = parseFieldSelector('status.phase=Running,metadata.name=x');
    checkFieldSelector(sel, supportedFieldLabels('pods'), 'pods');
    assert.equal(
      badRequest(() => checkFieldSelector(parseFieldSelector('foo=bar'), supportedFieldLabels('pods'), 'pods')),
      'field label not supported: foo',
    );
    assert.equal(
      badRequest(() => checkFieldSelector(parseFieldSelector('status.hostIP=1.2.3.4'), supportedFieldLabels('pods'), 'pods')),
      'field label not supported: status.hostIP',
    );
    assert.equal(
      badRequest(() => checkFieldSelector(parseFieldSelector('metadata.namespace=x'), supportedFieldLabels('nodes'), 'nodes')),
      'field label not supported: metadata.namespace',
    );
  });

  it('words the refusal as the generic conversion does for kinds without their own (leases)', () => {
    checkFieldSelector(parseFieldSelector('metadata.namespace=kube-node-lease'), supportedFieldLabels('leases'), 'leases');
    assert.equal(
      badRequest(() => checkFieldSelector(parseFieldSelector('spec.holderIdentity=n1'), supportedFieldLabels('leases'), 'leases')),
      '"spec.holderIdentity" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
  });
});

describe('matchesFields', () => {
  const fields = { 'status.phase': 'Running', 'spec.nodeName': '' };
  it('compares values, a missing field reading as ""', () => {
    assert.ok(matchesFields(parseFieldSelector('status.phase=Running'), fields));
    assert.ok(!matchesFields(parseFieldSelector('status.phase=Pending'), fields));
    assert.ok(matchesFields(parseFieldSelector('status.phase!=Succeeded,status.phase!=Failed'), fields));
    assert.ok(matchesFields(parseFieldSelector('spec.nodeName='), fields));
    assert.ok(matchesFields(parseFieldSelector('missing='), fields));
    assert.ok(!matchesFields(parseFieldSelector('missing!='), fields));
  });
  it('requiredFieldValue finds an equality pin', () => {
    assert.equal(requiredFieldValue(parseFieldSelector('spec.nodeName=n1,status.phase!=x'), 'spec.nodeName'), 'n1');
    assert.equal(requiredFieldValue(parseFieldSelector('spec.nodeName!=n1'), 'spec.nodeName'), undefined);
  });
});
