import type { AssociationTypeSpec } from './association-types';
import { associationType } from './association-types';
import type { ObjectType } from './object-types';

export interface AssociationEdge {
  toObjectId: string;
  typeIds: number[];
}

/** One portal's associations; every edge is stored in both directions with its inverse type id. */
export class AssociationStore {
  private readonly edges = new Map<string, Map<string, Set<number>>>();

  /** Returns true when the association did not exist yet. */
  add(spec: AssociationTypeSpec, fromId: string, toId: string): boolean {
    const added = this.put(spec.from, fromId, spec.to, toId, spec.typeId);
    this.put(spec.to, toId, spec.from, fromId, spec.inverse);
    return added;
  }

  /** Removes every type between the two records; returns the removed forward type ids. */
  removeAll(from: ObjectType, fromId: string, to: ObjectType, toId: string): number[] {
    const forward = this.edges.get(key(from, fromId, to));
    const removed = [...(forward?.get(toId) ?? [])];
    forward?.delete(toId);
    this.edges.get(key(to, toId, from))?.delete(fromId);
    return removed;
  }

  list(from: ObjectType, fromId: string, to: ObjectType): AssociationEdge[] {
    const forward = this.edges.get(key(from, fromId, to));
    if (!forward) return [];
    return [...forward.entries()]
      .filter(([, types]) => types.size > 0)
      .map(([toObjectId, types]) => ({ toObjectId, typeIds: [...types].sort((a, b) => a - b) }))
      .sort((a, b) => Number(a.toObjectId) - Number(b.toObjectId));
  }

  count(from: ObjectType, fromId: string, to: ObjectType): number {
    return this.list(from, fromId, to).length;
  }

  /** Drops every edge of a record (archive); returns what was removed so counters can be recomputed. */
  detach(type: ObjectType, id: string, others: readonly ObjectType[]): Array<{ to: ObjectType; toId: string; typeIds: number[] }> {
    return others.flatMap((to) => this.list(type, id, to).map((edge) => ({ to, toId: edge.toObjectId, typeIds: this.removeAll(type, id, to, edge.toObjectId) })));
  }

  private put(from: ObjectType, fromId: string, to: ObjectType, toId: string, typeId: number): boolean {
    const k = key(from, fromId, to);
    const forward = this.edges.get(k) ?? new Map<string, Set<number>>();
    this.edges.set(k, forward);
    const types = forward.get(toId) ?? new Set<number>();
    forward.set(toId, types);
    const isNew = types.size === 0;
    types.add(typeId);
    return isNew;
  }
}

function key(from: ObjectType, fromId: string, to: ObjectType): string {
  return `${from}:${fromId}>${to}`;
}

export function describeType(typeId: number): { category: 'HUBSPOT_DEFINED'; typeId: number; label: string | null } {
  return { category: 'HUBSPOT_DEFINED', typeId, label: associationType(typeId)?.label ?? null };
}
