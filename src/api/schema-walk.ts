/**
 * Navigating the inline kind schemas by field path.
 *
 * @example
 *   schemaAt(podSchema, 'spec.containers[].ports')?.['x-kubernetes-patch-merge-key'] // 'containerPort'
 */
import type { TSchema } from '@sinclair/typebox';

/** Schema of property `key` of an object node: a declared property, or the value schema of a map. */
export function propertySchema(node: TSchema | undefined, key: string): TSchema | undefined {
  if (!node) return undefined;
  const props = node.properties as Record<string, TSchema> | undefined;
  if (props && Object.hasOwn(props, key)) return props[key];
  const ap = node.additionalProperties;
  return ap && typeof ap === 'object' ? (ap as TSchema) : undefined;
}

/** Schema of the elements of an array node. */
export function itemSchema(node: TSchema | undefined): TSchema | undefined {
  return node?.type === 'array' ? (node.items as TSchema | undefined) : undefined;
}

/**
 * Schema at a dotted path; `[]` (or `[n]`) steps into array elements.
 * Returns undefined when the path leaves the schema.
 */
export function schemaAt(root: TSchema, path: string): TSchema | undefined {
  let node: TSchema | undefined = root;
  for (const part of path.split('.').filter(Boolean)) {
    const m = /^([^[\]]*)((?:\[\d*\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1]) node = propertySchema(node, m[1]);
    for (let i = 0; i < (m[2].match(/\[/g)?.length ?? 0); i++) node = itemSchema(node);
    if (!node) return undefined;
  }
  return node;
}
