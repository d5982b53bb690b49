import type { Client } from '@hubspot/api-client';
import type { Clock } from '../../app/ports/clock';
import { HubSpotError } from '../../app/ports/hubspot-port';
import type { RequestSlots } from '../../app/ports/rate-budget';
import { dailyLimitRetryAt } from '../../app/pipeline/backoff';
import { classifyHubSpotError } from './classify-error';

/** Which of the portal's budgets a call spends: the 10-second burst, or CRM search's own 5 per second. */
export type CallBudget = 'burst' | 'search';

/** One call to HubSpot as it travels the call path: a name for metrics, a budget, and the SDK request itself. */
export interface HubSpotCall<T> {
  operation: string;
  budget: CallBudget;
  request: (client: Client) => Promise<T>;
}

export type CallFn = <T>(call: HubSpotCall<T>) => Promise<T>;

/** One concern of the call path, wrapped around the rest of it (the SDK's decorators, per portal instead of global). */
export type CallWrapper = (next: CallFn) => CallFn;

/** Wraps `send` in `wrappers`, the first outermost: compose([a, b], send) calls a → b → send. */
export function composeCallPath(wrappers: readonly CallWrapper[], send: CallFn): CallFn {
  return wrappers.reduceRight<CallFn>((next, wrap) => wrap(next), send);
}

/** The innermost step: hand the request the portal's SDK client. */
export const sendWith =
  (client: Client): CallFn =>
  (call) =>
    call.request(client);

/**
 * Once HubSpot said the daily pool is dry, the other batches of this round and of later rounds are refused here until
 * the next probe (dailyLimitRetryAt): one real 429 per probe, not one per parked batch. Must sit outside the
 * classification, which turns HubSpot's 429 DAILY into the `daily_limit` kind it watches for.
 */
export function withDailyLimitLatch(clock: Clock): CallWrapper {
  let latched: { until: number; message: string } | null = null;
  return (next) => async (call) => {
    if (latched && clock.now() < latched.until) throw new HubSpotError('daily_limit', latched.message, null);
    try {
      return await next(call);
    } catch (error) {
      if (error instanceof HubSpotError && error.kind === 'daily_limit') latched = { until: dailyLimitRetryAt(clock.now()), message: error.message };
      throw error;
    }
  };
}

/**
 * Takes a slot of the call's budget before sending; a 429 with a wait makes everyone sharing the budget hold off.
 * Whatever happened (even a token refresh failing before the send), the slot is settled, never left in flight.
 */
export function withLimiter(slots: Record<CallBudget, RequestSlots>): CallWrapper {
  return (next) => async (call) => {
    const limiter = slots[call.budget];
    await limiter.acquire();
    try {
      return await next(call);
    } catch (error) {
      if (error instanceof HubSpotError && error.kind === 'rate_limited' && error.retryAfterMs) await limiter.backOff(error.retryAfterMs);
      throw error;
    } finally {
      limiter.settled();
    }
  };
}

export interface CallObservation {
  portalId: number;
  operation: string;
  ok: boolean;
  status: number | null;
  kind?: string | null;
}

/** Tells `onCall` the outcome of every call (metrics, call-count benchmarks); failures arrive classified. */
export function withMetrics(portalId: number, onCall: ((call: CallObservation) => void) | undefined): CallWrapper {
  if (!onCall) return (next) => next;
  return (next) => async (call) => {
    try {
      const result = await next(call);
      onCall({ portalId, operation: call.operation, ok: true, status: 200 });
      return result;
    } catch (error) {
      const failure = classifyHubSpotError(error);
      onCall({ portalId, operation: call.operation, ok: false, status: failure.status, kind: failure.kind });
      throw error;
    }
  };
}

/** Whatever the SDK, the network or a token source threw leaves as one classified HubSpotError (classify-error.ts). */
export const withClassification: CallWrapper = (next) => async (call) => {
  try {
    return await next(call);
  } catch (error) {
    throw classifyHubSpotError(error);
  }
};

/**
 * OAuth: the token source is asked before every call (it renews ahead of expiry); the SDK client is re-pointed only
 * when the token changed (every ~24 min). A static private-app token needs no wrapper.
 */
export function withToken(client: Client, source: () => Promise<string>): CallWrapper {
  let current: string | undefined;
  return (next) => async (call) => {
    const token = await source();
    if (token !== current) {
      current = token;
      client.setAccessToken(token);
    }
    return next(call);
  };
}

/** A call slower than `ms` fails as a `timeout` (transient: the caller retries it; our writes are idempotent). */
export function withTimeout(ms: number): CallWrapper {
  return (next) => (call) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HubSpotError('timeout', `no answer within ${ms} ms`, null)), ms);
    });
    return Promise.race([next(call), timeout]).finally(() => clearTimeout(timer));
  };
}
