import type { ObjectType } from '../domain/object-types';
import type { FaultPlan, FaultPlanInput } from './fault-plan';
import { faultPlanSchema } from './fault-plan';
import { seededRandom } from './seeded-random';

export type RequestFault = { kind: 'none' } | { kind: 'error'; status: number } | { kind: 'hang'; ms: number };

/** One portal's fault plan, consulted before each API request and on each written record. */
export class FaultInjector {
  private plan: FaultPlan = faultPlanSchema.parse({});
  private random = seededRandom(this.plan.seed);
  private readonly routeHits = new Map<number, number>();

  set(input: FaultPlanInput): FaultPlan {
    this.plan = faultPlanSchema.parse(input);
    this.random = seededRandom(this.plan.seed);
    this.routeHits.clear();
    return this.plan;
  }

  clear(): void {
    this.set({});
  }

  current(): FaultPlan {
    return this.plan;
  }

  get latencyMs(): number {
    return this.plan.latencyMs;
  }

  forRequest(method: string, path: string): RequestFault {
    const routeIndex = this.plan.failingRoutes.findIndex(
      (r, i) => (!r.method || r.method === method) && new RegExp(r.pathPattern).test(path) && (r.times === undefined || (this.routeHits.get(i) ?? 0) < r.times),
    );
    const route = this.plan.failingRoutes[routeIndex];
    if (route) {
      this.routeHits.set(routeIndex, (this.routeHits.get(routeIndex) ?? 0) + 1);
      return { kind: 'error', status: route.status };
    }
    if (this.plan.timeoutRate > 0 && this.random() < this.plan.timeoutRate) return { kind: 'hang', ms: this.plan.hangMs };
    if (this.plan.errorRate > 0 && this.random() < this.plan.errorRate) return { kind: 'error', status: 500 };
    return { kind: 'none' };
  }

  itemFailure(type: ObjectType, id: string | undefined): string | undefined {
    if (id === undefined) return undefined;
    return this.plan.failingItems.find((f) => (!f.objectType || f.objectType === type) && f.ids.includes(id))?.message;
  }
}
