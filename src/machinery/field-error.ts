/**
 * A problem with one field of an object, worded as Kubernetes words it
 * (`spec.containers[0].image: Required value`). Validation returns a list of these;
 * `invalid()` in api-error.ts turns them into a 422 Status with `details.causes`.
 */
export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueDuplicate'
  | 'FieldValueNotFound'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError';

export interface FieldError {
  type: FieldErrorType;
  /** Dotted path with [i] / [key] indexes, e.g. `spec.containers[0].ports[1].name`. */
  field: string;
  /** The cause message without the field path, e.g. `Invalid value: "Web": a lowercase RFC 1123 label …`. */
  message: string;
}

/** Renders a bad value as Go's validation does: strings %q-quoted, numbers and booleans bare, null as "null". */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '"null"';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const withDetail = (head: string, detail?: string) => (detail ? `${head}: ${detail}` : head);

export const required = (field: string, detail?: string): FieldError => ({
  type: 'FieldValueRequired',
  field,
  message: withDetail('Required value', detail),
});

export const invalid = (field: string, value: unknown, detail?: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  message: withDetail(`Invalid value: ${formatValue(value)}`, detail),
});

export const duplicate = (field: string, value: unknown): FieldError => ({
  type: 'FieldValueDuplicate',
  field,
  message: `Duplicate value: ${formatValue(value)}`,
});

export const notFound = (field: string, value: unknown): FieldError => ({
  type: 'FieldValueNotFound',
  field,
  message: `Not found: ${formatValue(value)}`,
});

export const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  message: `Unsupported value: ${formatValue(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
});

export const forbidden = (field: string, detail: string): FieldError => ({
  type: 'FieldValueForbidden',
  field,
  message: `Forbidden: ${detail}`,
});

export const tooLong = (field: string, max: number): FieldError => ({
  type: 'FieldValueTooLong',
  field,
  message: `Too long: may not be more than ${max} bytes`,
});

export const tooMany = (field: string, actual: number, max: number): FieldError => ({
  type: 'FieldValueTooMany',
  field,
  message: `Too many: ${actual}: must have at most ${max} items`,
});

/** `field: message`, the form used inside the aggregate Status message. */
export const renderFieldError = (e: FieldError): string => (e.field ? `${e.field}: ${e.message}` : e.message);
