/**
 * Turns the inline TypeBox kind schemas into OpenAPI schema objects with shared components.
 * Used by both the v3 and the v2 generators; they differ only in the reference prefix.
 *
 * A node carrying `$id` becomes a component; a field using it becomes `{allOf:[{$ref}], description}`
 * (siblings of a bare `$ref` are ignored by OpenAPI), while array items and map values become a bare `{$ref}`,
 * as in Kubernetes' own documents. kubectl explain then prints `<ObjectMeta>`, `<[]Container>`, `<map[string]string>`.
 */
import type { TSchema } from '@sinclair/typebox';
import { namedSchemas } from './schema-kit.ts';

type Json = Record<string, unknown>;

/** Converts schemas; collects every component reached along the way. */
export class OpenApiSchemaWriter {
  /** OpenAPI name → converted component schema. */
  readonly components = new Map<string, Json>();
  private readonly pending: string[] = [];

  /**
   * @param refPrefix `#/components/schemas/` (v3) or `#/definitions/` (v2)
   * @param dialect v2 (Swagger 2.0) puts a field's description beside a bare `$ref` and has no `anyOf`
   */
  constructor(
    private readonly refPrefix: string,
    private readonly dialect: 'v3' | 'v2' = 'v3',
  ) {}

  /** A reference to the named schema `id`, queueing the component for output. */
  ref(id: string): Json {
    this.need(id);
    return { $ref: this.refPrefix + id };
  }

  /** Adds the component `id` (and everything it reaches) to the output. */
  need(id: string): void {
    if (this.components.has(id) || this.pending.includes(id)) return;
    if (!namedSchemas().has(id)) throw new Error(`openapi: no schema named ${id}`);
    this.pending.push(id);
    this.drain();
  }

  /** All components collected, sorted by name. */
  sortedComponents(): Record<string, Json> {
    return Object.fromEntries([...this.components.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  private drain(): void {
    while (this.pending.length) {
      const id = this.pending.shift()!;
      if (this.components.has(id)) continue;
      this.components.set(id, {}); // placeholder: breaks cycles
      this.components.set(id, this.convert(namedSchemas().get(id)!, 'root'));
    }
  }

  /** Converts one schema node. `at` says where the node sits, which decides how a named type is referenced. */
  convert(node: TSchema, at: 'root' | 'field' | 'element' = 'field'): Json {
    if (node.$id && at !== 'root') {
      const ref = this.ref(node.$id);
      if (at === 'element') return ref;
      const out: Json = this.dialect === 'v2' ? { ...ref } : { allOf: [ref] };
      if (node.description) out.description = node.description;
      if (node.default !== undefined && this.dialect === 'v3') out.default = node.default;
      return out;
    }
    if (this.dialect === 'v2' && node['x-kubernetes-int-or-string']) {
      // Swagger 2.0 has no anyOf: Kubernetes writes these as strings.
      const out: Json = { type: 'string' };
      if (node.$id === 'io.k8s.apimachinery.pkg.util.intstr.IntOrString') out.format = 'int-or-string';
      if (node.description) out.description = node.description;
      return out;
    }
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$id') continue;
      if (k === 'properties') {
        out.properties = Object.fromEntries(
          Object.entries(v as Record<string, TSchema>).map(([name, p]) => [name, this.convert(p, 'field')]),
        );
      } else if (k === 'items') {
        out.items = this.convert(v as TSchema, 'element');
      } else if (k === 'additionalProperties' && v && typeof v === 'object') {
        out.additionalProperties = this.convert(v as TSchema, 'element');
      } else if ((k === 'anyOf' || k === 'allOf' || k === 'oneOf') && Array.isArray(v)) {
        out[k] = v.map((s) => this.convert(s as TSchema, 'element'));
      } else {
        out[k] = structuredClone(v);
      }
    }
    return out;
  }
}
