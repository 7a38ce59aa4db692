import { randomUUID } from 'node:crypto';
import type { KubeList, KubeObject } from '../api/object.ts';
import type { ResourceInfo } from '../api/resources.ts';
import { apiVersionOf, storeKey } from '../api/resources.ts';
import type { Status } from '../machinery/api-error.ts';
import {
  ApiError,
  alreadyExistsError,
  badRequestError,
  conflictError,
  invalidError,
  notFoundError,
  staleObjectError,
} from '../machinery/api-error.ts';
import type { FieldError } from '../machinery/field-error.ts';
import { invalid } from '../machinery/field-error.ts';
import type { KeyValue, Store } from '../store/store.ts';
import { isStoreError } from '../store/store-error.ts';
import { clone, decode, encode, jsonEqual } from './codec.ts';
import { generateName } from '../api/generate-name.ts';
import { checkUnknownFields } from './field-validation.ts';
import { listResource, listResourceJson } from './list.ts';
import type { NamespaceLookup } from './namespace-lookup.ts';
import { applyPatch } from './patcher.ts';
import { applyConfiguration, managerOf, trackManagedFields } from './server-side-apply.ts';
import type {
  DeleteOptions,
  DeleteResult,
  ListOptions,
  PatchOptions,
  PatchType,
  ResourceRest,
  SubresourceRest,
  WatchEventType,
  WatchHandle,
  WatchOptions,
  WriteOptions,
} from './rest.ts';
import type { Strategy, SubresourceStrategy } from './strategy.ts';
import { rfc3339 } from './timestamps.ts';
import { watchResource } from './watch.ts';

/** Attempts of a read-modify-write before giving up on a contended key (etcd's GuaranteedUpdate loops forever). */
const MAX_UPDATE_ATTEMPTS = 1000;

/** After a lost race, wait a little (growing, jittered) so contending writers spread out. */
async function backoff(attempt: number): Promise<void> {
  if (attempt < 2) return;
  const ms = Math.random() * Math.min(50, 2 ** Math.min(attempt, 6));
  await new Promise((resolve) => setTimeout(resolve, ms));
}
/** Attempts at a fresh generated name (apiserver's maxNameGenerationCreateAttempts). */
const MAX_GENERATE_NAME_ATTEMPTS = 8;

/** What one read-modify-write step decides. */
export interface UpdateStep {
  /** The object to store (resourceVersion is ignored). */
  object: KubeObject;
  /** Remove the key instead (an update that emptied the finalizers of an object being deleted). */
  remove?: boolean;
}

export interface UpdateResult {
  object: KubeObject;
  created: boolean;
  /** The key was removed (the answer is the submitted object). */
  removed?: boolean;
}

export interface GenericRestOptions {
  /** NamespaceLifecycle for creates of namespaced kinds. */
  namespaces?: NamespaceLookup;
  /** Told about every committed write of this resource (the namespace registry feeds its lookup with it). */
  afterWrite?: (obj: KubeObject, revision: number, removed: boolean) => void;
}

/** How an update treats the object it is given, beyond the main resource's strategy (status, finalize…). */
interface UpdateMode {
  strategy: SubresourceStrategy;
  /** Run the kind's decode-time defaults (full-object writes of the main resource). */
  defaults: boolean;
  /** Extra condition for removing the object when its finalizers are gone. */
  shouldDelete?: (obj: KubeObject) => boolean;
  /** The subresource written through (managedFields entries name it); modes other than the main one default to `status`. */
  subresource?: string;
}

/**
 * A store-backed ResourceRest (apiserver's generic registry Store) parameterised by a per-kind Strategy.
 *
 *   const rest = new GenericRest(store, nodeStrategy);
 *   await rest.create(undefined, { metadata: { name: 'n1' } }, writeOptions);
 *
 * Kubernetes semantics implemented here: system metadata (uid, creationTimestamp, resourceVersion = the store
 * revision), generateName, namespace checks, optimistic concurrency (409 Conflict), patches with retry,
 * dry run, graceful deletion with preconditions and finalizers, list/watch (list.ts, watch.ts).
 */
export class GenericRest implements ResourceRest {
  readonly info: ResourceInfo;
  readonly store: Store;
  readonly strategy: Strategy;
  protected readonly options: GenericRestOptions;
  readonly #subresources = new Map<string, SubresourceRest>();

  constructor(store: Store, strategy: Strategy, options: GenericRestOptions = {}) {
    this.store = store;
    this.strategy = strategy;
    this.info = strategy.info;
    this.options = options;
  }

  /** Registers a subresource served by the registry (status, binding, finalize). */
  addSubresource(name: string, rest: SubresourceRest): void {
    this.#subresources.set(name, rest);
  }

  subresource(name: string): SubresourceRest | undefined {
    return this.#subresources.get(name);
  }

  key(namespace: string | undefined, name: string): string {
    if (this.info.namespaced && !namespace) throw badRequestError('Namespace parameter required.');
    return storeKey(this.info, this.info.namespaced ? namespace : undefined, name);
  }

  notFound(name: string): ApiError {
    return notFoundError(this.info.plural, name, this.info.group || undefined);
  }

  // ---------------------------------------------------------------- reads

  async get(namespace: string | undefined, name: string): Promise<KubeObject> {
    const kv = await this.store.get(this.key(namespace, name));
    if (!kv) throw this.notFound(name);
    return decode(this.info, kv);
  }

  /** The current object and its store entry, or undefined. */
  async read(namespace: string | undefined, name: string): Promise<{ object: KubeObject; kv: KeyValue } | undefined> {
    const kv = await this.store.get(this.key(namespace, name));
    return kv ? { object: decode(this.info, kv), kv } : undefined;
  }

  list(namespace: string | undefined, options: ListOptions): Promise<KubeList> {
    return listResource(this.store, this.info, this.info.namespaced ? namespace : undefined, options);
  }

  listJson(namespace: string | undefined, options: ListOptions): Promise<string> {
    return listResourceJson(this.store, this.info, this.info.namespaced ? namespace : undefined, options);
  }

  watch(
    namespace: string | undefined,
    options: WatchOptions,
    send: (type: WatchEventType, object: KubeObject | Status) => void,
  ): Promise<WatchHandle> {
    return watchResource(this.store, this.info, this.info.namespaced ? namespace : undefined, options, send);
  }

  // ---------------------------------------------------------------- create

  create(namespace: string | undefined, body: KubeObject, options: WriteOptions): Promise<KubeObject> {
    return this.#create(namespace, body, options, true);
  }

  /** `track`: record the write in managedFields (false when server-side apply already did). */
  async #create(namespace: string | undefined, body: KubeObject, options: WriteOptions, track: boolean): Promise<KubeObject> {
    const obj = body;
    checkUnknownFields(this.info, obj, options.fieldValidation, options.warnings, 'decode');
    const meta = (obj.metadata ??= {});
    this.#alignNamespace(obj, namespace);
    if (meta.resourceVersion) throw new ApiError(500, '', 'resourceVersion should not be set on objects to be created');
    if (this.info.namespaced && this.options.namespaces && meta.namespace) {
      await this.options.namespaces.checkCreate(this.info.plural, meta.name ?? '', meta.namespace, this.info.group || undefined);
    }
    const generate = !!meta.generateName && !meta.name;
    for (let attempt = 1; ; attempt++) {
      if (generate) meta.name = generateName(meta.generateName!);
      this.#prepareCreate(obj, options, attempt === 1, track);
      if (options.dryRun) {
        if (await this.store.get(this.key(meta.namespace, meta.name!))) throw await this.#alreadyExists(meta.namespace, meta.name!);
        return obj;
      }
      try {
        const kv = await this.store.create(this.key(meta.namespace, meta.name!), encode(obj));
        meta.resourceVersion = String(kv.modRevision);
        this.options.afterWrite?.(obj, kv.modRevision, false);
        return obj;
      } catch (err) {
        if (!isStoreError(err, 'AlreadyExists')) throw err;
        if (generate && attempt < MAX_GENERATE_NAME_ATTEMPTS) continue;
        throw await this.#alreadyExists(meta.namespace, meta.name!);
      }
    }
  }

  /** System fields, defaults, PrepareForCreate and validation (apiserver's BeforeCreate). */
  #prepareCreate(obj: KubeObject, options: WriteOptions, warn: boolean, track: boolean): void {
    const meta = obj.metadata;
    obj.kind = this.info.kind;
    obj.apiVersion = apiVersionOf(this.info);
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339();
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.resourceVersion;
    this.strategy.defaults(obj, 'create');
    this.strategy.prepareForCreate(obj);
    if (track) trackManagedFields(this.info, undefined, obj, managerOf(options));
    this.#throwInvalid(obj, this.strategy.validate(obj));
    const warnings = warn ? this.strategy.warningsOnCreate?.(obj) : undefined;
    if (warnings) options.warnings.push(...warnings);
  }

  async #alreadyExists(namespace: string | undefined, name: string): Promise<ApiError> {
    const err = alreadyExistsError(this.info.plural, name, this.info.group || undefined);
    const existing = await this.store.get(this.key(namespace, name)).catch(() => undefined);
    if (existing && (JSON.parse(existing.value) as KubeObject).metadata?.deletionTimestamp) {
      return new ApiError(err.code, err.reason, `object is being deleted: ${err.message}`, err.details);
    }
    return err;
  }

  #throwInvalid(obj: KubeObject, errs: FieldError[]): void {
    if (errs.length > 0) throw invalidError(this.info.kind, obj.metadata?.name ?? '', errs, this.info.group || undefined);
  }

  /** EnsureObjectNamespaceMatchesRequestNamespace: fill from the URL, 400 on a mismatch; cluster-scoped objects lose it. */
  #alignNamespace(obj: KubeObject, namespace: string | undefined): void {
    const meta = obj.metadata;
    if (!this.info.namespaced) {
      if (meta.namespace !== undefined) delete meta.namespace;
      return;
    }
    if (!namespace) throw badRequestError('Namespace parameter required.');
    if (!meta.namespace) meta.namespace = namespace;
    else if (meta.namespace !== namespace) {
      throw badRequestError('the namespace of the provided object does not match the namespace sent on the request');
    }
  }

  #checkName(obj: KubeObject, name: string): void {
    const objName = obj.metadata?.name ?? '';
    if (objName !== name) throw badRequestError(`the name of the object (${objName}) does not match the name on the URL (${name})`);
  }

  // ---------------------------------------------------------------- update / patch

  async update(
    namespace: string | undefined,
    name: string,
    body: KubeObject,
    options: WriteOptions,
  ): Promise<{ object: KubeObject; created: boolean }> {
    return this.updateWith(namespace, name, body, options, this.#mainMode());
  }

  /** PUT of a full object through `mode` (the main resource, or a subresource's strategy). */
  async updateWith(
    namespace: string | undefined,
    name: string,
    body: KubeObject,
    options: WriteOptions,
    mode: UpdateMode,
    allowCreate = this.strategy.allowCreateOnUpdate,
  ): Promise<UpdateResult> {
    checkUnknownFields(this.info, body, options.fieldValidation, options.warnings, 'decode');
    body.metadata ??= {};
    this.#alignNamespace(body, namespace);
    this.#checkName(body, name);
    const rvText = body.metadata.resourceVersion;
    const userRv = rvText ? Number(rvText) : undefined;
    if (rvText && !/^\d+$/.test(rvText)) {
      throw badRequestError(`metadata.resourceVersion: Invalid value: ${JSON.stringify(rvText)}: must be a number`);
    }
    const pristine = clone(body);
    let first = true;
    return this.guaranteedUpdate(
      namespace,
      name,
      (current, kv) => {
        const obj = first ? body : clone(pristine);
        first = false;
        if (userRv === undefined) {
          if (!this.strategy.allowUnconditionalUpdate) {
            throw invalidError(this.info.plural, name, [invalid('metadata.resourceVersion', 0, 'must be specified for an update')], this.info.group || undefined);
          }
        } else if (userRv !== kv.modRevision) {
          throw staleObjectError(this.info.plural, name, this.info.group || undefined);
        }
        return this.prepareUpdate(obj, current, options, mode);
      },
      options.dryRun,
      allowCreate ? () => this.#createOnUpdate(namespace, name, first ? body : clone(pristine), userRv, options) : undefined,
    );
  }

  async #createOnUpdate(
    namespace: string | undefined,
    name: string,
    obj: KubeObject,
    userRv: number | undefined,
    options: WriteOptions,
  ): Promise<UpdateResult> {
    if (userRv !== undefined && userRv !== 0) {
      // An update conditioned on a version of an object that does not exist: etcd reports the key as missing.
      throw this.notFound(name);
    }
    delete obj.metadata.resourceVersion;
    const created = await this.create(namespace, obj, options);
    return { object: created, created: true };
  }

  async patch(
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    options: PatchOptions,
  ): Promise<{ object: KubeObject; created: boolean }> {
    return this.patchWith(namespace, name, type, patch, options, this.#mainMode(), true);
  }

  /** Server-side apply (server-side-apply.ts): merges the configuration, creating the object when absent. */
  async #apply(
    namespace: string | undefined,
    name: string,
    config: unknown,
    options: PatchOptions,
    mode: UpdateMode,
    allowCreate: boolean,
  ): Promise<UpdateResult> {
    const request = { manager: options.fieldManager, force: options.force, name, namespace, subresource: this.#subresourceOf(mode) };
    const checked = (obj: KubeObject) => {
      obj.metadata ??= {};
      this.#alignNamespace(obj, namespace);
      this.#checkName(obj, name);
      return obj;
    };
    return this.guaranteedUpdate(
      namespace,
      name,
      (current) => {
        const next = checked(applyConfiguration(this.info, current, config, request));
        return this.prepareUpdate(next, current, options, mode, false);
      },
      options.dryRun,
      allowCreate
        ? async () => {
            const obj = checked(applyConfiguration(this.info, undefined, config, request));
            return { object: await this.#create(namespace, obj, options, false), created: true };
          }
        : undefined,
    );
  }

  async patchWith(
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    options: PatchOptions,
    mode: UpdateMode,
    allowCreate = false,
  ): Promise<UpdateResult> {
    if (type === 'apply') return this.#apply(namespace, name, patch, options, mode, allowCreate);
    let firstAttempt = true;
    return this.guaranteedUpdate(
      namespace,
      name,
      (current) => {
        const patched = applyPatch(this.info, current, type, patch);
        if (typeof patched !== 'object' || patched === null || Array.isArray(patched)) {
          throw badRequestError('the patched object is not a JSON object');
        }
        checkUnknownFields(this.info, patched, firstAttempt ? options.fieldValidation : 'Ignore', options.warnings, 'patch');
        firstAttempt = false;
        patched.metadata ??= {};
        const rv = patched.metadata.resourceVersion;
        if (rv !== undefined && rv !== null && rv !== '' && rv !== current.metadata.resourceVersion) {
          throw staleObjectError(this.info.plural, name, this.info.group || undefined);
        }
        this.#alignNamespace(patched, namespace);
        this.#checkName(patched, name);
        return this.prepareUpdate(patched, current, options, mode);
      },
      options.dryRun,
    );
  }

  /** The subresource a mode writes through: none for the main resource. */
  #subresourceOf(mode: UpdateMode): string | undefined {
    if (mode.strategy === this.strategy) return undefined;
    return mode.subresource ?? 'status';
  }

  #mainMode(): UpdateMode {
    return {
      strategy: this.strategy,
      defaults: true,
      shouldDelete: this.strategy.shouldDeleteDuringUpdate?.bind(this.strategy),
    };
  }

  /**
   * apiserver's BeforeUpdate: carry what an update may not change, run the strategy, validate, and decide
   * whether the update removes the object (finalizers emptied while deleting).
   */
  prepareUpdate(obj: KubeObject, old: KubeObject, options: WriteOptions, mode: UpdateMode, track = true): UpdateStep {
    const meta = (obj.metadata ??= {});
    const oldMeta = old.metadata;
    obj.kind = this.info.kind;
    obj.apiVersion = apiVersionOf(this.info);
    if (oldMeta.generation !== undefined) meta.generation = oldMeta.generation;
    else delete meta.generation;
    if (mode.defaults) this.strategy.defaults(obj, 'update');
    mode.strategy.prepareForUpdate(obj, old);
    if (!meta.uid) meta.uid = oldMeta.uid;
    if (oldMeta.creationTimestamp) meta.creationTimestamp = oldMeta.creationTimestamp;
    if (oldMeta.deletionTimestamp) meta.deletionTimestamp = oldMeta.deletionTimestamp;
    if (oldMeta.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds === undefined) {
      meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
    }
    // Field management: this write's Update entry (a write that sends no managedFields keeps the stored ones);
    // server-side apply (track=false) computed its own, and a no-op apply keeps the old timestamps.
    if (track) trackManagedFields(this.info, old, obj, managerOf(options), this.#subresourceOf(mode));
    else if (oldMeta.managedFields && sameIgnoringManagedFieldTimes(obj, old)) meta.managedFields = oldMeta.managedFields;
    this.#throwInvalid(obj, mode.strategy.validateUpdate(obj, old));
    if (mode.defaults) {
      const warnings = this.strategy.warningsOnUpdate?.(obj, old);
      if (warnings) options.warnings.push(...warnings);
    }
    const remove =
      (meta.finalizers ?? []).length === 0 &&
      !!oldMeta.deletionTimestamp &&
      !oldMeta.deletionGracePeriodSeconds &&
      (mode.shouldDelete ? mode.shouldDelete(obj) : true);
    return { object: obj, remove };
  }

  /**
   * Read-modify-write of one key with optimistic concurrency: `step` gets a fresh copy of the current object and
   * returns the next one; a store Conflict (someone wrote in between) runs it again on the newer state.
   * An unchanged object is not written (no new resourceVersion, no event).
   */
  async guaranteedUpdate(
    namespace: string | undefined,
    name: string,
    step: (current: KubeObject, kv: KeyValue) => UpdateStep | Promise<UpdateStep>,
    dryRun: boolean,
    onMissing?: () => Promise<UpdateResult>,
  ): Promise<UpdateResult> {
    const key = this.key(namespace, name);
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      await backoff(attempt);
      const kv = await this.store.get(key);
      if (!kv) {
        if (onMissing) return onMissing();
        throw this.notFound(name);
      }
      const current = decode(this.info, kv);
      const next = await step(current, kv);
      const obj = next.object;
      if (next.remove) {
        if (dryRun) return { object: obj, created: false, removed: true };
        try {
          const deleted = await this.store.delete(key, kv.modRevision);
          this.options.afterWrite?.(decode(this.info, deleted), deleted.modRevision, true);
        } catch (err) {
          if (isStoreError(err, 'Conflict')) continue;
          if (!isStoreError(err, 'NotFound')) throw err;
        }
        return { object: obj, created: false, removed: true };
      }
      const value = encode(obj);
      // Same content in another key order has the same length; only then is the structural comparison worth it.
      if (value === kv.value || (value.length === kv.value.length && jsonEqual(withoutRv(obj), JSON.parse(kv.value)))) {
        return { object: current, created: false };
      }
      if (dryRun) {
        obj.metadata.resourceVersion = current.metadata.resourceVersion;
        return { object: obj, created: false };
      }
      try {
        const written = await this.store.update(key, value, kv.modRevision);
        obj.metadata.resourceVersion = String(written.modRevision);
        this.options.afterWrite?.(obj, written.modRevision, false);
        return { object: obj, created: false };
      } catch (err) {
        if (isStoreError(err, 'Conflict')) continue;
        if (isStoreError(err, 'NotFound')) {
          if (onMissing) return onMissing();
          throw this.notFound(name);
        }
        throw err;
      }
    }
    throw staleObjectError(this.info.plural, name, this.info.group || undefined);
  }

  // ---------------------------------------------------------------- delete

  async delete(namespace: string | undefined, name: string, options: DeleteOptions, write: WriteOptions): Promise<DeleteResult> {
    const dryRun = write.dryRun || (options.dryRun ?? []).includes('All');
    const key = this.key(namespace, name);
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      await backoff(attempt);
      // The strategy writes the grace period it settles on into the options: start each attempt afresh.
      const opts: DeleteOptions = { ...options };
      const kv = await this.store.get(key);
      if (!kv) throw this.notFound(name);
      const obj = decode(this.info, kv);
      this.checkPreconditions(obj, opts);
      const decision = this.#beforeDelete(obj, opts);
      if (decision === 'pending') return this.#deleteResult(obj, opts, false);
      const pendingFinalizers = (obj.metadata.finalizers ?? []).length > 0;
      let target = kv;
      if (decision === 'graceful' || pendingFinalizers) {
        // updateForGracefulDeletionAndFinalizers: store the deletion mark first.
        if (decision !== 'graceful') {
          // markAsDeleting
          if (!obj.metadata.deletionTimestamp) {
            if ((obj.metadata.generation ?? 0) > 0) obj.metadata.generation = obj.metadata.generation! + 1;
            obj.metadata.deletionTimestamp = rfc3339();
          }
          obj.metadata.deletionGracePeriodSeconds = 0;
        }
        const stay = pendingFinalizers || (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0;
        if (dryRun) {
          if (stay) return this.#deleteResult(obj, opts, false);
        } else if (stay && encode(obj) === kv.value) {
          return this.#deleteResult(obj, opts, false);
        } else {
          let written: KeyValue;
          try {
            written = await this.store.update(key, encode(obj), kv.modRevision);
          } catch (err) {
            if (isStoreError(err, 'Conflict')) continue;
            if (isStoreError(err, 'NotFound')) throw this.notFound(name);
            throw err;
          }
          obj.metadata.resourceVersion = String(written.modRevision);
          this.options.afterWrite?.(obj, written.modRevision, false);
          if (stay) return this.#deleteResult(obj, opts, false);
          target = written;
        }
      }
      if (dryRun) return this.#deleteResult(obj, opts, true);
      try {
        const deleted = await this.store.delete(key, target.modRevision);
        const last = decode(this.info, { ...deleted, modRevision: target.modRevision });
        this.options.afterWrite?.(last, deleted.modRevision, true);
        return this.#deleteResult(last, opts, true);
      } catch (err) {
        if (isStoreError(err, 'Conflict')) continue;
        if (isStoreError(err, 'NotFound')) {
          // Someone else removed it first (the grace-0 race apiserver tolerates).
          if (target !== kv) return this.#deleteResult(obj, opts, true);
          throw this.notFound(name);
        }
        throw err;
      }
    }
    throw staleObjectError(this.info.plural, name, this.info.group || undefined);
  }

  /** DeleteOptions.preconditions (rest.BeforeDelete), worded with the Kind as apiserver does. */
  checkPreconditions(obj: KubeObject, options: DeleteOptions): void {
    const p = options.preconditions;
    if (!p) return;
    const group = this.info.group || undefined;
    if (p.uid !== undefined && p.uid !== null && p.uid !== obj.metadata.uid) {
      throw conflictError(
        this.info.kind,
        obj.metadata.name ?? '',
        `the UID in the precondition (${p.uid}) does not match the UID in record (${obj.metadata.uid ?? ''}). The object might have been deleted and then recreated`,
        group,
      );
    }
    if (p.resourceVersion !== undefined && p.resourceVersion !== null && p.resourceVersion !== obj.metadata.resourceVersion) {
      throw conflictError(
        this.info.kind,
        obj.metadata.name ?? '',
        `the ResourceVersion in the precondition (${p.resourceVersion}) does not match the ResourceVersion in record (${obj.metadata.resourceVersion ?? ''}). The object might have been modified`,
        group,
      );
    }
  }

  /**
   * rest.BeforeDelete on `obj` (mutated): 'pending' when a graceful deletion is already under way and this request
   * does not shorten it; 'graceful' when the object was (re)marked with a deletionTimestamp; 'now' otherwise.
   */
  #beforeDelete(obj: KubeObject, options: DeleteOptions): 'pending' | 'graceful' | 'now' {
    if (options.gracePeriodSeconds !== undefined && options.gracePeriodSeconds !== null && options.gracePeriodSeconds < 0) {
      options.gracePeriodSeconds = 1;
    }
    const meta = obj.metadata;
    if (meta.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds < 0) meta.deletionGracePeriodSeconds = 1;
    if (!this.strategy.gracefulDeletePeriod) return 'now';
    if (meta.deletionTimestamp) {
      const current = meta.deletionGracePeriodSeconds;
      if (current === undefined || current === 0) return 'now';
      const requested = options.gracePeriodSeconds;
      if (requested === undefined || requested === null || requested >= current) return 'pending';
      const start = Date.parse(meta.deletionTimestamp) - current * 1000;
      meta.deletionTimestamp = rfc3339(start + requested * 1000);
      meta.deletionGracePeriodSeconds = requested;
      return 'graceful';
    }
    const period = this.strategy.gracefulDeletePeriod(obj, options);
    if (period === undefined) return 'now';
    meta.deletionTimestamp = rfc3339(Date.now() + period * 1000);
    meta.deletionGracePeriodSeconds = period;
    if ((meta.generation ?? 0) > 0) meta.generation = meta.generation! + 1;
    return 'graceful';
  }

  /**
   * finalizeDelete: the object (ReturnDeletedObject kinds) or a Success Status whose details.kind is the plural
   * (apiserver leaves its `code` unset). 202 only when orphanDependents=false and the object is still there.
   */
  #deleteResult(obj: KubeObject, options: DeleteOptions, removed: boolean): DeleteResult {
    const code = !removed && options.orphanDependents === false ? 202 : 200;
    if (this.strategy.returnDeletedObject) return { body: obj, code };
    const details: Status['details'] = { name: obj.metadata.name ?? '', group: this.info.group || undefined, kind: this.info.plural, uid: obj.metadata.uid ?? '' };
    if (!this.info.group) delete details.group;
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
    return { body: status as unknown as Status, code };
  }

  async deleteCollection(namespace: string | undefined, list: ListOptions, options: DeleteOptions, write: WriteOptions): Promise<KubeList> {
    const items: KubeObject[] = [];
    let listed: KubeList | undefined;
    const page: ListOptions = { ...list };
    for (;;) {
      const l = await this.list(namespace, page);
      listed ??= l;
      items.push(...l.items);
      if (list.limit || !l.metadata.continue) break;
      page.continue = l.metadata.continue;
      delete page.resourceVersion;
      delete page.resourceVersionMatch;
    }
    for (const item of items) {
      try {
        await this.delete(item.metadata.namespace, item.metadata.name ?? '', { ...options, preconditions: options.preconditions && { ...options.preconditions } }, write);
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
    return { ...listed!, metadata: { resourceVersion: listed!.metadata.resourceVersion }, items };
  }
}

/** kube-apiserver's IgnoreManagedFieldsTimestampsTransformer: equal but for managedFields[].time (and resourceVersion). */
function sameIgnoringManagedFieldTimes(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const w = withoutRv(o);
    const mf = w.metadata.managedFields?.map(({ time: _t, ...e }) => e);
    return { ...w, metadata: { ...w.metadata, managedFields: mf } };
  };
  return jsonEqual(strip(a), strip(b));
}

function withoutRv(obj: KubeObject): KubeObject {
  const { resourceVersion: _rv, ...meta } = obj.metadata;
  void _rv;
  return { ...obj, metadata: meta };
}
