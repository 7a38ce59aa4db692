import type { FieldError } from './field-error.ts';
import { renderFieldError } from './field-error.ts';

/**
 * The one error type of the API: carries what a Kubernetes `Status` carries.
 * Throw it anywhere below the HTTP layer; the server renders it once (`toStatus`).
 *
 *   throw notFoundError('pods', 'web');   // 404 {"reason":"NotFound","message":"pods \"web\" not found",...}
 */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toStatus(): Status {
    const status: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) status.details = this.details;
    return status;
  }
}

export const isApiError = (err: unknown): err is ApiError => err instanceof ApiError;

/** `resource` is the plural (pods), optionally qualified with the group (leases.coordination.k8s.io). */
const qualified = (resource: string, group?: string) => (group ? `${resource}.${group}` : resource);
const detailsOf = (resource: string, name: string, group?: string): StatusDetails => {
  const d: StatusDetails = { name, kind: resource };
  if (group) d.group = group;
  return d;
};

export const notFoundError = (resource: string, name: string, group?: string) =>
  new ApiError(404, 'NotFound', `${qualified(resource, group)} "${name}" not found`, detailsOf(resource, name, group));

export const alreadyExistsError = (resource: string, name: string, group?: string) =>
  new ApiError(409, 'AlreadyExists', `${qualified(resource, group)} "${name}" already exists`, detailsOf(resource, name, group));

export const conflictError = (resource: string, name: string, why: string, group?: string) =>
  new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(resource, group)} "${name}": ${why}`,
    detailsOf(resource, name, group),
  );

export const staleObjectError = (resource: string, name: string, group?: string) =>
  conflictError(resource, name, 'the object has been modified; please apply your changes to the latest version and try again', group);

/** 422 Invalid. `kind` is the Kind (Pod), not the resource. */
export function invalidError(kind: string, name: string, errors: FieldError[], group?: string): ApiError {
  const rendered = [...new Set(errors.map(renderFieldError))];
  const aggregate = rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`;
  const details: StatusDetails = {
    name,
    kind,
    causes: errors.map((e) => ({ reason: e.type, message: e.message, field: e.field })),
  };
  if (group) details.group = group;
  return new ApiError(422, 'Invalid', `${kind} "${name}" is invalid: ${aggregate}`, details);
}

export const badRequestError = (message: string) => new ApiError(400, 'BadRequest', message);

export const forbiddenError = (resource: string, name: string, why: string, group?: string, causes?: StatusCause[]) => {
  const subject = name ? `${qualified(resource, group)} "${name}"` : qualified(resource, group);
  const details = detailsOf(resource, name, group);
  if (causes) details.causes = causes;
  return new ApiError(403, 'Forbidden', `${subject} is forbidden: ${why}`, details);
};

export const unauthorizedError = () => new ApiError(401, 'Unauthorized', 'Unauthorized');

export const methodNotAllowedError = (method: string) =>
  new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`, {});

export const unsupportedMediaTypeError = (contentType: string) =>
  new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`, {
    causes: [{ message: contentType }],
  });

export const notAcceptableError = () =>
  new ApiError(406, 'NotAcceptable', 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');

export const requestEntityTooLargeError = (limit: number) =>
  new ApiError(413, 'RequestEntityTooLarge', `the server has received a request body of more than ${limit} bytes`);

export const goneError = (message: string) => new ApiError(410, 'Expired', message);

export const internalError = (message: string) =>
  new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });

/** A 404 for a path that names no resource at all (kubectl: "the server could not find the requested resource"). */
export const noSuchPathError = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
