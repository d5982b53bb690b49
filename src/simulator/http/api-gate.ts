import type { NextFunction, Request, Response } from 'express';
import { SimulatedApiError, unauthorized } from '../domain/simulated-api-error';
import type { RateLimitPolicyName } from '../limits/rate-limiter';
import type { SimulatorState } from '../simulator-state';

const RATE_LIMIT_MESSAGES: Record<RateLimitPolicyName, string> = {
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  DAILY: 'You have reached your daily limit.',
  // The SDK's retry decorator keys on this exact message for search (reliability.md §2).
  SECONDLY: 'You have reached your secondly limit.',
};

function rateLimitError(policyName: RateLimitPolicyName): SimulatedApiError {
  return new SimulatedApiError(429, 'RATE_LIMITS', RATE_LIMIT_MESSAGES[policyName], { extra: { errorType: 'RATE_LIMIT', policyName } });
}

const isSearch = (req: Request) => req.method === 'POST' && /\/search\/?$/.test(req.path);

/**
 * Every HubSpot API request passes here in order: bearer token → portal (401), the portal's rate limits
 * (429 with HubSpot's body and headers), injected faults (5xx, hangs, latency), and accounting on finish.
 */
export function apiGate(state: SimulatorState) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const token = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1]?.trim();
    const portal = token ? state.portalByToken(token) : undefined;
    res.on('finish', () => state.accounting.recordCall(portal?.portalId ?? 0, req.method, req.path, res.statusCode, res.locals.policyName as string | undefined));
    if (!portal) throw unauthorized();
    res.locals.portal = portal;

    const admission = portal.limiter.admit(isSearch(req) ? 'search' : 'standard');
    res.set(admission.headers);
    if (!admission.admitted) {
      res.locals.policyName = admission.policyName;
      throw rateLimitError(admission.policyName);
    }

    const fault = portal.faults.forRequest(req.method, req.path);
    if (portal.faults.latencyMs > 0) await delay(portal.faults.latencyMs);
    if (fault.kind === 'hang') {
      await delay(fault.ms);
      throw new SimulatedApiError(504, 'GATEWAY_TIMEOUT', 'The request timed out (simulated).');
    }
    if (fault.kind === 'error') throw new SimulatedApiError(fault.status, 'INTERNAL_ERROR', `Simulated server error (${fault.status}).`);
    next();
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
