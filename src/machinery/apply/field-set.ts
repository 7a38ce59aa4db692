/**
 * A set of field paths (SMD's fieldpath.Set): a trie whose nodes are path elements, each either a member
 * of the set, a parent of members, or both. Encodes to and from FieldsV1 exactly as Kubernetes writes it:
 * children sorted (fields, then keys, values, indices), and `"."` first inside a node that is itself a member.
 *
 * @example
 *   const s = new FieldSet().insert([field('metadata'), field('labels'), field('app')]);
 *   JSON.stringify(s.toFieldsV1()) // '{"f:metadata":{"f:labels":{"f:app":{}}}}'
 */
import { compareElements, parseElement, serializeElement, type Path, type PathElement } from './path-element.ts';

interface Node {
  pe: PathElement;
  /** The path to this node is itself in the set. */
  member: boolean;
  children: FieldSet;
}

export class FieldSet {
  /** Children by their FieldsV1 key, which is canonical (key fields sorted), so it doubles as identity. */
  private readonly nodes = new Map<string, Node>();

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Adds `path` (the empty path is ignored: the root is never a member). */
  insert(path: Path): this {
    if (path.length === 0) return this;
    const node = this.descend(path[0]);
    if (path.length === 1) node.member = true;
    else node.children.insert(path.slice(1));
    return this;
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    const node = this.nodes.get(serializeElement(path[0]));
    if (!node) return false;
    return path.length === 1 ? node.member : node.children.has(path.slice(1));
  }

  isEmpty(): boolean {
    return this.nodes.size === 0;
  }

  /** The child node for `pe`, if any path goes through or ends at it. */
  child(pe: PathElement): { member: boolean; children: FieldSet } | undefined {
    return this.nodes.get(serializeElement(pe));
  }

  /** Direct children, in SMD order. */
  entries(): Array<{ pe: PathElement; member: boolean; children: FieldSet }> {
    return [...this.nodes.values()].sort((a, b) => compareElements(a.pe, b.pe));
  }

  union(other: FieldSet): FieldSet {
    const out = this.clone();
    for (const [k, n] of other.nodes) {
      const mine = out.nodes.get(k);
      if (!mine) out.nodes.set(k, { pe: n.pe, member: n.member, children: n.children.clone() });
      else {
        mine.member ||= n.member;
        mine.children = mine.children.union(n.children);
      }
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, n] of this.nodes) {
      const theirs = other.nodes.get(k);
      if (!theirs) continue;
      out.put(k, n.pe, n.member && theirs.member, n.children.intersection(theirs.children));
    }
    return out;
  }

  /** Paths of this set that are not in `other` (exact paths: a member of `other` does not remove descendants). */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, n] of this.nodes) {
      const theirs = other.nodes.get(k);
      if (!theirs) out.put(k, n.pe, n.member, n.children.clone());
      else out.put(k, n.pe, n.member && !theirs.member, n.children.difference(theirs.children));
    }
    return out;
  }

  /** Paths of this set that are neither in `other` nor below one of its members. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, n] of this.nodes) {
      const theirs = other.nodes.get(k);
      if (!theirs) out.put(k, n.pe, n.member, n.children.clone());
      else if (!theirs.member) out.put(k, n.pe, n.member, n.children.recursiveDifference(theirs.children));
    }
    return out;
  }

  equals(other: FieldSet): boolean {
    return JSON.stringify(this.toFieldsV1()) === JSON.stringify(other.toFieldsV1());
  }

  /** Every member path, in SMD order (parents before their descendants). */
  *paths(prefix: PathElement[] = []): Generator<PathElement[]> {
    for (const n of this.entries()) {
      const p = [...prefix, n.pe];
      if (n.member) yield p;
      yield* n.children.paths(p);
    }
  }

  /** Member paths with no members below them. */
  *leaves(prefix: PathElement[] = []): Generator<PathElement[]> {
    for (const n of this.entries()) {
      const p = [...prefix, n.pe];
      if (n.member && n.children.isEmpty()) yield p;
      yield* n.children.leaves(p);
    }
  }

  get size(): number {
    let n = 0;
    for (const _ of this.paths()) n++;
    return n;
  }

  /** The FieldsV1 object; `JSON.stringify` of it is byte-identical to what kube-apiserver stores. */
  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const n of this.entries()) {
      const inner = n.children.toFieldsV1();
      out[serializeElement(n.pe)] = n.member && !n.children.isEmpty() ? { '.': {}, ...inner } : inner;
    }
    return out;
  }

  static fromFieldsV1(obj: unknown): FieldSet {
    const s = new FieldSet();
    if (!obj || typeof obj !== 'object') return s;
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
      if (k === '.') continue;
      const pe = parseElement(k);
      if (!pe) continue;
      const children = FieldSet.fromFieldsV1(v);
      const inner = v && typeof v === 'object' ? Object.keys(v) : [];
      // A node with no children is a member; so is one that says so with ".".
      const member = inner.length === 0 || inner.includes('.');
      s.put(serializeElement(pe), pe, member, children);
    }
    return s;
  }

  clone(): FieldSet {
    const out = new FieldSet();
    for (const [k, n] of this.nodes) out.nodes.set(k, { pe: n.pe, member: n.member, children: n.children.clone() });
    return out;
  }

  private descend(pe: PathElement): Node {
    const k = serializeElement(pe);
    let node = this.nodes.get(k);
    if (!node) this.nodes.set(k, (node = { pe, member: false, children: new FieldSet() }));
    return node;
  }

  /** Adds a node unless it would be empty (neither member nor parent). */
  private put(k: string, pe: PathElement, member: boolean, children: FieldSet): void {
    if (member || !children.isEmpty()) this.nodes.set(k, { pe, member, children });
  }
}
