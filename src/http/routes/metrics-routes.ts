import { Router } from 'express';
import type { PrometheusMetrics } from '../../adapters/metrics/prometheus-metrics';
import { adminAccess } from '../dashboard/admin-access';

/** GET /metrics in Prometheus text format, behind the same admin access as the dashboard. */
export function metricsRoutes(deps: { metrics: PrometheusMetrics; adminToken?: string | undefined }): Router {
  const router = Router();
  router.get('/metrics', adminAccess({ token: deps.adminToken }), async (_req, res) => {
    res.set('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });
  return router;
}
