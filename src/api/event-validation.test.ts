import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFieldError } from '../machinery/field-error.ts';
import { validateEvent } from './event-validation.ts';

test('legacy events: involvedObject.namespace must match', () => {
  const ok = { metadata: { name: 'web.17f3', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' } };
  assert.deepEqual(validateEvent(ok), []);
  assert.deepEqual(validateEvent({ ...ok, involvedObject: { kind: 'Node', name: 'n1' } }), []);
  assert.deepEqual(
    validateEvent({ ...ok, involvedObject: { kind: 'Pod', name: 'web', namespace: 'other' } }).map(renderFieldError),
    ['involvedObject.namespace: Invalid value: "other": does not match event.namespace'],
  );
  assert.deepEqual(
    validateEvent({ metadata: { name: 'e', namespace: 'team' }, involvedObject: { kind: 'Node', name: 'n1' } }).map(renderFieldError),
    ['involvedObject.namespace: Invalid value: "": does not match event.namespace'],
  );
});

test('events with eventTime need reporting fields', () => {
  const e = { metadata: { name: 'e', namespace: 'default' }, eventTime: '2024-01-01T00:00:00.000000Z', involvedObject: { namespace: 'default' } };
  assert.deepEqual(validateEvent(e).map(renderFieldError), [
    'reportingController: Required value',
    "reportingController: Invalid value: \"\": name part must be non-empty",
    "reportingController: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    'reportingInstance: Required value',
    'action: Required value',
    'reason: Required value',
  ]);
  const full = { ...e, reportingComponent: 'default-scheduler', reportingInstance: 'default-scheduler-h', action: 'Binding', reason: 'Scheduled' };
  assert.deepEqual(validateEvent(full), []);
});
