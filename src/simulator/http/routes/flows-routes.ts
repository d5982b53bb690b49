import { Router } from 'express';
import { z } from 'zod';
import { FlowCreateBody, FlowUpdateBody, type SimulatedFlow } from '../../flows/flow-store';
import { parseInput } from '../parse-input';
import { portalOf } from '../portal-context';

const iso = (ms: number) => new Date(ms).toISOString();

/** The flow JSON HubSpot answers with (Workflows API guide: get, create; BETA). */
function serializeFlow(flow: SimulatedFlow): Record<string, unknown> {
  return { ...flow.body, id: flow.id, revisionId: flow.revisionId, createdAt: iso(flow.createdAt), updatedAt: iso(flow.updatedAt) };
}

/** The summary the list endpoint returns per flow (no actions or criteria). */
function summarizeFlow(flow: SimulatedFlow): Record<string, unknown> {
  const { id, revisionId } = flow;
  const { name, isEnabled, flowType, objectTypeId, type } = flow.body;
  return { id, revisionId, name, isEnabled, flowType, objectTypeId, type, createdAt: iso(flow.createdAt), updatedAt: iso(flow.updatedAt) };
}

const pageQuery = z.looseObject({ after: z.string().regex(/^\d+$/).optional(), limit: z.coerce.number().int().min(1).max(100).default(100) });

/** Automation v4 flows (BETA): list (paged), get, create, update with the current revisionId, delete. */
export function flowsRouter(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const query = parseInput(pageQuery, req.query, 'query');
    const flows = portalOf(res)
      .flows.all()
      .sort((a, b) => Number(a.id) - Number(b.id));
    const from = query.after ? flows.findIndex((f) => Number(f.id) > Number(query.after)) : 0;
    const start = from === -1 ? flows.length : from;
    const page = flows.slice(start, start + query.limit);
    const last = page.at(-1);
    res.json({ results: page.map(summarizeFlow), ...(start + query.limit < flows.length && last ? { paging: { next: { after: last.id } } } : {}) });
  });
  router.get('/:flowId', (req, res) => {
    res.json(serializeFlow(portalOf(res).flows.get(String(req.params['flowId']))));
  });
  router.post('/', (req, res) => {
    res.status(201).json(serializeFlow(portalOf(res).flows.create(parseInput(FlowCreateBody, req.body))));
  });
  router.put('/:flowId', (req, res) => {
    res.json(serializeFlow(portalOf(res).flows.update(String(req.params['flowId']), parseInput(FlowUpdateBody, req.body))));
  });
  router.delete('/:flowId', (req, res) => {
    portalOf(res).flows.delete(String(req.params['flowId']));
    res.status(204).end();
  });
  return router;
}
