import { ApiError, badRequestError } from '../machinery/api-error.ts';
import type { FieldError } from '../machinery/field-error.ts';
import { forbidden, invalid, notSupported, renderFieldError } from '../machinery/field-error.ts';
import type { ListOptions, WatchOptions } from './rest.ts';

/**
 * Query-option checks of list and watch, as apimachinery's ValidateListOptions words them; failures are a
 * 422 about `ListOptions.meta.k8s.io ""`.
 *
 *   validateListOptions({ resourceVersionMatch: 'Exact' })
 *   // 422 ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided
 */
export function validateListOptions(o: ListOptions & { sendInitialEvents?: boolean }): void {
  const errs: FieldError[] = [];
  const match = o.resourceVersionMatch ?? '';
  if (match !== '') {
    if (!o.resourceVersion) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (o.continue) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan') errs.push(notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
    if (match === 'Exact' && o.resourceVersion === '0') {
      errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    }
  }
  if (o.sendInitialEvents !== undefined) errs.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  if (errs.length > 0) throw listOptionsInvalid(errs);
}

export function validateWatchOptions(o: WatchOptions & { continue?: string }): void {
  const errs: FieldError[] = [];
  const match = o.resourceVersionMatch ?? '';
  if (o.sendInitialEvents !== undefined && match !== 'NotOlderThan') {
    errs.push(forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
  }
  if (match !== '') {
    if (o.sendInitialEvents === undefined) {
      errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
    }
    if (match !== 'NotOlderThan') errs.push(notSupported('resourceVersionMatch', match, ['NotOlderThan']));
    if (o.continue) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
  }
  if (errs.length > 0) throw listOptionsInvalid(errs);
}

function listOptionsInvalid(errs: FieldError[]): ApiError {
  const rendered = [...new Set(errs.map(renderFieldError))];
  const aggregate = rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`;
  return new ApiError(422, 'Invalid', `ListOptions.meta.k8s.io "" is invalid: ${aggregate}`, {
    name: '',
    group: 'meta.k8s.io',
    kind: 'ListOptions',
    causes: errs.map((e) => ({ reason: e.type, message: e.message, field: e.field })),
  });
}

/** A resourceVersion parameter as a revision: undefined for unset/"", 0 for "0". Anything not a number is a 400. */
export function parseResourceVersion(rv: string | undefined): number | undefined {
  if (rv === undefined || rv === '') return undefined;
  if (!/^\d+$/.test(rv)) {
    throw badRequestError(renderFieldError(invalid('resourceVersion', rv, `invalid resource version: strconv.ParseUint: parsing ${JSON.stringify(rv)}: invalid syntax`)));
  }
  return Number(rv);
}

/** 504 for a resourceVersion the store has not reached (apiserver's cacher, after waiting ~3 s). */
export const tooLargeResourceVersionError = (requested: number, current: number) =>
  new ApiError(504, 'Timeout', `Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
