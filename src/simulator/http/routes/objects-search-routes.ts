import type { Router } from 'express';
import type { CrmRecord } from '../../domain/crm-record';
import { validationError } from '../../domain/simulated-api-error';
import { runSearch } from '../../domain/run-search';
import { SEARCH_LIMITS, checkSearchShape } from '../../domain/search';
import { parseInput } from '../parse-input';
import { portalOf } from '../portal-context';
import { searchBody } from '../schemas/object-schemas';
import { serializeRecord } from '../serialize-record';
import { objectTypeParam } from './object-lookup';

const QUERY_PROPERTIES = ['email', 'firstname', 'lastname', 'name', 'domain', 'dealname', 'hs_task_subject', 'hs_note_body'];

/** POST /{objectType}/search: filters, sorts, `after` paging, the 10,000-result cap. Its own 5 req/s limit is in the API gate. */
export function registerSearchRoutes(router: Router): void {
  router.post('/:objectType/search', (req, res) => {
    const { crm, registry } = portalOf(res);
    const type = objectTypeParam(req);
    const body = parseInput(searchBody, req.body);
    checkSearchShape(body.filterGroups);
    if (body.after + body.limit > SEARCH_LIMITS.maxResults) {
      throw validationError(`Paging past ${SEARCH_LIMITS.maxResults} results is not supported (after ${body.after} + limit ${body.limit}); narrow the filters instead.`);
    }
    const lookup = (name: string) => registry.find(type, name);
    const needle = body.query?.toLowerCase();
    const text = needle ? (r: CrmRecord) => QUERY_PROPERTIES.some((p) => (r.properties.get(p) ?? '').toLowerCase().includes(needle)) : undefined;
    const { total, page } = runSearch(crm.table(type), { filterGroups: body.filterGroups, sorts: body.sorts, after: body.after, limit: body.limit, ...(text ? { text } : {}) }, lookup);
    const next = body.after + body.limit;
    res.json({
      total,
      results: page.map((r) => serializeRecord(r, { properties: body.properties })),
      ...(next < total && next < SEARCH_LIMITS.maxResults ? { paging: { next: { after: String(next) } } } : {}),
    });
  });
}
