import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from './api-error.ts';
import {
  formatLabelSelector,
  isEverything,
  labelSelectorFromObject,
  matchesLabels,
  parseLabelSelector,
} from './label-selector.ts';

const nameMsg =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const valueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function badRequest(selector: string): string {
  try {
    parseLabelSelector(selector);
  } catch (err) {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 400);
    assert.equal(err.reason, 'BadRequest');
    return err.message;
  }
  assert.fail(`expected ${JSON.stringify(selector)} to be rejected`);
}

const m = (sel: string, labels?: Record<string, string>) => matchesLabels(parseLabelSelector(sel), labels);

describe('parseLabelSelector', () => {
  it('treats the empty and blank string as everything', () => {
    assert.ok(isEverything(parseLabelSelector('')));
    assert.ok(isEverything(parseLabelSelector('   ')));
    assert.ok(m('', undefined));
  });

  it('parses every operator and sorts requirements by key', () => {
    const sel = parseLabelSelector('z=1,y==2,x!=3,w in (b,a,b),v notin (c),u,!t,s>5,r<7');
    assert.deepEqual(
      sel.requirements.map((r) => [r.key, r.operator, r.values]),
      [
        ['r', 'lt', ['7']],
        ['s', 'gt', ['5']],
        ['t', '!', []],
        ['u', 'exists', []],
        ['v', 'notin', ['c']],
        ['w', 'in', ['a', 'b']],
        ['x', '!=', ['3']],
        ['y', '==', ['2']],
        ['z', '=', ['1']],
      ],
    );
  });

  it('tolerates whitespace around tokens', () => {
    const sel = parseLabelSelector('  env  in  ( prod , dev ) ,  app = kubia , ! canary ');
    assert.equal(formatLabelSelector(sel), 'app=kubia,!canary,env in (dev,prod)');
  });

  it('accepts the kubectl-encoded forms from KUBECTL-API §4.1', () => {
    assert.equal(parseLabelSelector('app=kubia,env!=prod').requirements.length, 2);
    assert.equal(parseLabelSelector('env in (prod,dev)').requirements[0]!.values.length, 2);
    assert.equal(parseLabelSelector('!app').requirements[0]!.operator, '!');
    assert.equal(parseLabelSelector('app notin (foo),env').requirements.length, 2);
  });

  it('allows empty values: k=, k in (a,,b), k in (), k in (,)', () => {
    assert.deepEqual(parseLabelSelector('k=').requirements[0]!.values, ['']);
    assert.deepEqual(parseLabelSelector('k=,j=x').requirements.map((r) => r.values), [['x'], ['']]);
    assert.deepEqual(parseLabelSelector('k in (a,,b)').requirements[0]!.values, ['', 'a', 'b']);
    // Upstream reads "()" as the single empty value, not as an empty set.
    assert.deepEqual(parseLabelSelector('k in ()').requirements[0]!.values, ['']);
    assert.deepEqual(parseLabelSelector('k in (,)').requirements[0]!.values, ['']);
    assert.deepEqual(parseLabelSelector('k in (a,)').requirements[0]!.values, ['', 'a']);
  });

  it('lets "in" and "notin" be keys and values', () => {
    const sel = parseLabelSelector('in=notin,notin in (in)');
    assert.deepEqual(
      sel.requirements.map((r) => [r.key, r.operator, r.values]),
      [
        ['in', '=', ['notin']],
        ['notin', 'in', ['in']],
      ],
    );
  });

  it('accepts prefixed keys', () => {
    const sel = parseLabelSelector('app.kubernetes.io/name=web');
    assert.equal(sel.requirements[0]!.key, 'app.kubernetes.io/name');
  });

  it('rejects bad keys with the upstream message', () => {
    assert.equal(badRequest('-x=1'), `unable to parse requirement: <nil>: Invalid value: "-x": ${nameMsg}`);
    assert.equal(badRequest('app:monolith'), `unable to parse requirement: <nil>: Invalid value: "app:monolith": ${nameMsg}`);
    assert.match(
      badRequest('app.kubernetes_io/name=x'),
      /^unable to parse requirement: <nil>: Invalid value: "app.kubernetes_io\/name": prefix part a lowercase RFC 1123 subdomain must consist of/,
    );
    assert.match(badRequest('a/b/c=1'), /^unable to parse requirement: <nil>: Invalid value: "a\/b\/c": a qualified name must consist/);
    assert.equal(
      badRequest('a/=1'),
      `unable to parse requirement: <nil>: Invalid value: "a/": name part must be non-empty; ${nameMsg}`,
    );
    assert.match(badRequest(`${'k'.repeat(64)}=1`), /name part must be no more than 63 characters$/);
  });

  it('rejects bad values with a values[i][key] path', () => {
    assert.equal(badRequest('env=-prod'), `unable to parse requirement: values[0][env]: Invalid value: "-prod": ${valueMsg}`);
    assert.equal(
      badRequest('env in (-a,b-)'),
      `unable to parse requirement: [values[0][env]: Invalid value: "-a": ${valueMsg}, values[1][env]: Invalid value: "b-": ${valueMsg}]`,
    );
    assert.equal(
      badRequest(`env=${'v'.repeat(64)}`),
      `unable to parse requirement: values[0][env]: Invalid value: "${'v'.repeat(64)}": must be no more than 63 characters`,
    );
    assert.equal(
      badRequest('n>abc'),
      `unable to parse requirement: values[0]: Invalid value: "abc": for 'Gt', 'Lt' operators, the value must be an integer`,
    );
  });

  it('rejects syntax errors with the upstream messages', () => {
    assert.equal(badRequest('k in (a'), "unable to parse requirement: found '', expected: ',' or ')'");
    assert.equal(badRequest('k in a'), "unable to parse requirement: found 'a' expected: '('");
    assert.equal(badRequest('k in (=)'), "unable to parse requirement: found '=', expected: ',', ')' or identifier");
    assert.equal(badRequest('k in (a,=)'), "unable to parse requirement: found '=', expected: ',', or identifier");
    assert.equal(badRequest('k x'), "unable to parse requirement: found 'x', expected: in, notin, =, ==, !=, gt, lt");
    assert.equal(badRequest('k=(a)'), "unable to parse requirement: found '(', expected: identifier");
    assert.equal(badRequest('! =a'), "unable to parse requirement: found '=', expected: identifier");
    assert.equal(badRequest('!=a'), "found '!=', expected: !, identifier, or 'end of string'");
    assert.equal(badRequest('!k=v'), "found '=', expected: ',' or 'end of string'");
    assert.equal(badRequest('k=v w'), "found 'w', expected: ',' or 'end of string'");
    assert.equal(badRequest('a,'), "found '', expected: identifier after ','");
    assert.equal(badRequest('a,,b'), "found ',', expected: identifier after ','");
    assert.equal(badRequest(',a'), "found ',', expected: !, identifier, or 'end of string'");
    assert.equal(badRequest('=a'), "found '=', expected: !, identifier, or 'end of string'");
  });
});

describe('matchesLabels', () => {
  const labels = { app: 'kubia', env: 'prod', n: '10', empty: '' };

  it('equality and inequality', () => {
    assert.ok(m('app=kubia', labels));
    assert.ok(m('app==kubia', labels));
    assert.ok(!m('app=other', labels));
    assert.ok(m('app!=other', labels));
    assert.ok(!m('app!=kubia', labels));
    assert.ok(m('missing!=x', labels), '!= matches when the key is absent');
    assert.ok(!m('missing=x', labels));
    assert.ok(m('empty=', labels));
    assert.ok(!m('missing=', labels), '= "" needs the key to exist');
  });

  it('set membership', () => {
    assert.ok(m('env in (dev,prod)', labels));
    assert.ok(!m('env in (dev)', labels));
    assert.ok(!m('missing in (dev)', labels));
    assert.ok(m('env notin (dev)', labels));
    assert.ok(!m('env notin (prod)', labels));
    assert.ok(m('missing notin (prod)', labels));
    assert.ok(m('empty in ()', labels));
  });

  it('existence', () => {
    assert.ok(m('app', labels));
    assert.ok(!m('missing', labels));
    assert.ok(m('!missing', labels));
    assert.ok(!m('!app', labels));
    assert.ok(m('!app', undefined));
    assert.ok(!m('app', undefined));
  });

  it('gt and lt compare integers', () => {
    assert.ok(m('n>9', labels));
    assert.ok(!m('n>10', labels));
    assert.ok(m('n<11', labels));
    assert.ok(!m('app>1', labels), 'a non-integer label never matches');
    assert.ok(!m('missing<1', labels));
  });

  it('ANDs the requirements', () => {
    assert.ok(m('app=kubia,env in (prod),!canary', labels));
    assert.ok(!m('app=kubia,env in (dev)', labels));
  });

  it('does not treat inherited properties as labels', () => {
    assert.ok(!m('constructor', {}));
    assert.ok(m('!toString', {}));
  });
});

describe('labelSelectorFromObject', () => {
  it('nil selects nothing, {} selects everything', () => {
    assert.ok(!matchesLabels(labelSelectorFromObject(undefined), {}));
    assert.ok(!matchesLabels(labelSelectorFromObject(null), { a: 'b' }));
    assert.ok(matchesLabels(labelSelectorFromObject({}), { a: 'b' }));
  });

  it('combines matchLabels and matchExpressions', () => {
    const sel = labelSelectorFromObject({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['fe', 'be'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'zone', operator: 'Exists' },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
      ],
    });
    assert.equal(formatLabelSelector(sel), 'app=web,!canary,env notin (dev),tier in (be,fe),zone');
    assert.ok(matchesLabels(sel, { app: 'web', tier: 'fe', zone: 'a' }));
    assert.ok(!matchesLabels(sel, { app: 'web', tier: 'fe', zone: 'a', canary: 'y' }));
    assert.ok(!matchesLabels(sel, { app: 'web', tier: 'fe' }));
  });

  it('rejects unknown operators and bad requirements', () => {
    assert.throws(
      () => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }),
      (e: unknown) => e instanceof ApiError && e.code === 400 && e.message === '"Gt" is not a valid label selector operator',
    );
    assert.throws(
      () => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }),
      /values: Invalid value: \[\]string\{\}: for 'in', 'notin' operators, values set can't be empty/,
    );
    assert.throws(() => labelSelectorFromObject({ matchLabels: { '-bad': 'x' } }), /key: Invalid value: "-bad": name part/);
  });
});
