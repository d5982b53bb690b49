import { Router } from 'express';
import { z } from 'zod';
import { validationError } from '../../domain/simulated-api-error';
import { resolveObjectType, OBJECT_TYPE_IDS } from '../../domain/object-types';
import { parseFilterBranch } from '../../lists/list-filters';
import type { ListStore, SimulatedList } from '../../lists/list-store';
import { booleanParam, listParam, parseInput } from '../parse-input';
import { portalOf } from '../portal-context';

const iso = (ms: number) => new Date(ms).toISOString();

/** HubSpot's list JSON (create-list and get-list responses on https://developers.hubspot.com/docs/api/crm/lists). */
function serializeList(list: SimulatedList, size: number, includeFilters: boolean): Record<string, unknown> {
  return {
    listId: list.listId,
    listVersion: list.listVersion,
    name: list.name,
    objectTypeId: list.objectTypeId,
    processingType: list.processingType,
    processingStatus: 'COMPLETE',
    createdAt: iso(list.createdAt),
    updatedAt: iso(list.updatedAt),
    filtersUpdatedAt: iso(list.filtersUpdatedAt),
    createdById: '1',
    updatedById: '1',
    size,
    ...(includeFilters && list.filterBranch ? { filterBranch: list.filterBranch } : {}),
  };
}

const createBody = z.looseObject({
  name: z.string().trim().min(1, 'name is required'),
  objectTypeId: z.string().min(1),
  processingType: z.enum(['DYNAMIC', 'MANUAL', 'SNAPSHOT']),
  filterBranch: z.unknown().optional(),
  customProperties: z.record(z.string(), z.string()).optional(),
  listFolderId: z.number().optional(),
});

const searchBody = z.looseObject({
  query: z.string().default(''),
  count: z.number().int().min(1).max(500).default(20),
  offset: z.number().int().min(0).default(0),
  processingTypes: z.array(z.string()).default([]),
  listIds: z.array(z.string()).default([]),
  additionalProperties: z.array(z.string()).default([]),
});

const membershipsQuery = z.looseObject({
  after: z.string().regex(/^\d+$/).optional(),
  limit: z.coerce.number().int().min(1).max(250).default(100),
});

/**
 * Lists API v3: create, search by name, get (with filters), update filters and name, delete, and read
 * memberships both ways. Paths follow `@hubspot/api-client` crm.lists (ListsApi, MembershipsApi).
 */
export function listsRouter(): Router {
  const router = Router();
  const store = (res: Parameters<typeof portalOf>[0]): ListStore => portalOf(res).lists;
  const sized = (lists: ListStore, list: SimulatedList, includeFilters: boolean) => serializeList(list, lists.members(list.listId).length, includeFilters);

  router.post('/', (req, res) => {
    const body = parseInput(createBody, req.body);
    const lists = store(res);
    const list = lists.create({
      name: body.name,
      objectTypeId: body.objectTypeId,
      processingType: body.processingType,
      ...(body.filterBranch === undefined ? {} : { filterBranch: parseFilterBranch(body.filterBranch) }),
    });
    res.json({ list: sized(lists, list, true) });
  });

  router.post('/search', (req, res) => {
    const body = parseInput(searchBody, req.body);
    const lists = store(res);
    const needle = body.query.toLowerCase();
    const matches = lists
      .all()
      .filter((l) => l.name.toLowerCase().includes(needle))
      .filter((l) => body.processingTypes.length === 0 || body.processingTypes.includes(l.processingType))
      .filter((l) => body.listIds.length === 0 || body.listIds.includes(l.listId));
    const page = matches.slice(body.offset, body.offset + body.count);
    res.json({
      lists: page.map((l) => {
        const { size, ...summary } = sized(lists, l, false) as Record<string, unknown> & { size: number };
        return { ...summary, additionalProperties: { hs_list_size: String(size) } };
      }),
      total: matches.length,
      offset: body.offset + page.length,
      hasMore: body.offset + page.length < matches.length,
    });
  });

  router.get('/object-type-id/:objectTypeId/name/:listName', (req, res) => {
    const type = resolveObjectType(String(req.params['objectTypeId']));
    if (!type) throw validationError(`Unknown objectTypeId ${String(req.params['objectTypeId'])}`);
    const lists = store(res);
    const list = lists.byName(String(req.params['listName']), OBJECT_TYPE_IDS[type]);
    if (!list) {
      res.status(404).json({ status: 'error', category: 'OBJECT_NOT_FOUND', message: `No list named ${String(req.params['listName'])}` });
      return;
    }
    res.json({ list: sized(lists, list, parseInput(booleanParam, req.query['includeFilters'], 'query')) });
  });

  router.get('/records/:objectTypeId/:recordId/memberships', (req, res) => {
    const type = resolveObjectType(String(req.params['objectTypeId']));
    if (!type) throw validationError(`Unknown objectTypeId ${String(req.params['objectTypeId'])}`);
    const lists = store(res);
    const recordId = String(req.params['recordId']);
    const results = lists
      .all()
      .filter((l) => l.objectType === type)
      .flatMap((l) => {
        const member = lists.members(l.listId).find((m) => m.recordId === recordId);
        return member ? [{ listId: l.listId, listVersion: l.listVersion, firstAddedTimestamp: iso(member.joinedAt), lastAddedTimestamp: iso(member.joinedAt) }] : [];
      });
    res.json({ results, total: results.length });
  });

  router.get('/', (req, res) => {
    const lists = store(res);
    const ids = parseInput(listParam, req.query['listIds'], 'query');
    const includeFilters = parseInput(booleanParam, req.query['includeFilters'], 'query');
    res.json({
      lists: lists
        .all()
        .filter((l) => ids.length === 0 || ids.includes(l.listId))
        .map((l) => sized(lists, l, includeFilters)),
    });
  });

  router.get('/:listId', (req, res) => {
    const lists = store(res);
    const list = lists.get(String(req.params['listId']));
    res.json({ list: sized(lists, list, parseInput(booleanParam, req.query['includeFilters'], 'query')) });
  });

  router.put('/:listId/update-list-filters', (req, res) => {
    const body = parseInput(z.looseObject({ filterBranch: z.unknown() }), req.body);
    const lists = store(res);
    const list = lists.updateFilters(String(req.params['listId']), parseFilterBranch(body.filterBranch));
    res.json({ updatedList: sized(lists, list, true) });
  });

  router.put('/:listId/update-list-name', (req, res) => {
    const name = parseInput(z.string().trim().min(1, 'listName is required'), req.query['listName'], 'query');
    const lists = store(res);
    const list = lists.rename(String(req.params['listId']), name);
    res.json({ updatedList: sized(lists, list, parseInput(booleanParam, req.query['includeFilters'], 'query')) });
  });

  router.delete('/:listId', (req, res) => {
    store(res).delete(String(req.params['listId']));
    res.status(204).end();
  });

  router.get('/:listId/memberships', (req, res) => {
    const query = parseInput(membershipsQuery, req.query, 'query');
    const members = store(res).members(String(req.params['listId']));
    const start = query.after ? members.findIndex((m) => Number(m.recordId) > Number(query.after)) : 0;
    const from = start === -1 ? members.length : start;
    const page = members.slice(from, from + query.limit);
    const last = page.at(-1);
    res.json({
      results: page.map((m) => ({ recordId: m.recordId, membershipTimestamp: iso(m.joinedAt) })),
      total: members.length,
      ...(from + query.limit < members.length && last ? { paging: { next: { after: last.recordId } } } : {}),
    });
  });

  return router;
}
