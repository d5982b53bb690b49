import { CARD_API_ROUTES } from '../card-api';
import { BACKEND_ROUTES, WEBHOOK_PATH, WORKFLOW_ACTIONS, workflowActionPath } from '../backend-routes';

describe('the backend routes contract', () => {
  it('names the webhook path HubSpot delivers to and one POST path per workflow action', () => {
    expect(WEBHOOK_PATH).toBe('/webhooks/hubspot');
    expect(WORKFLOW_ACTIONS.map(workflowActionPath)).toEqual(['/actions/evaluate', '/actions/recycle', '/actions/dead-end', '/actions/fastpass', '/actions/satisfaction']);
  });

  it('lists every area of the backend, the card routes being the card API contract itself', () => {
    expect(Object.keys(BACKEND_ROUTES.actions)).toEqual([...WORKFLOW_ACTIONS]);
    expect(BACKEND_ROUTES.cards).toBe(CARD_API_ROUTES);
    expect(BACKEND_ROUTES.reports).toEqual({ portals: '/api/reports/portals', funnel: '/api/reports/funnel', stockSeries: '/api/reports/stock-series' });
  });
});
