import type { ObjectType } from '../domain/object-types';

export interface Activity {
  id: string;
  kind: string;
  objectType: ObjectType;
  objectId: string;
  occurredAt: string;
  details: Record<string, unknown>;
}

/** One portal's timestamped activity list per record (simulator-only; HubSpot spreads these over engagements and analytics). */
export class ActivityLog {
  private readonly byRecord = new Map<string, Activity[]>();
  private next = 1;

  add(entry: Omit<Activity, 'id'>): Activity {
    const activity = { id: String(this.next++), ...entry };
    const key = `${entry.objectType}:${entry.objectId}`;
    const list = this.byRecord.get(key) ?? [];
    list.push(activity);
    list.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || Number(a.id) - Number(b.id));
    this.byRecord.set(key, list);
    return activity;
  }

  list(objectType: ObjectType, objectId: string): Activity[] {
    return [...(this.byRecord.get(`${objectType}:${objectId}`) ?? [])];
  }
}
