import type { Router } from 'express';
import type { CrmRecord } from '../../domain/crm-record';
import type { CrmService } from '../../domain/crm-service';
import type { ObjectType } from '../../domain/object-types';
import { API_WRITE } from '../../domain/crm-record';
import { parseInput } from '../parse-input';
import { portalOf } from '../portal-context';
import { createBody, gdprDeleteBody, listQuery, mergeBody, readQuery, updateBody } from '../schemas/object-schemas';
import { serializeRecord } from '../serialize-record';
import { objectTypeParam, requireRecord } from './object-lookup';

/** Single-record endpoints: list, create, get, update (PATCH), archive, plus contacts' merge and GDPR delete. */
export function registerBasicObjectRoutes(router: Router): void {
  router.get('/:objectType', (req, res) => {
    const { crm } = portalOf(res);
    const type = objectTypeParam(req);
    const query = parseInput(listQuery, req.query, 'query');
    const { page, following } = query.archived ? archivedPage(crm, type, query) : activePage(crm, type, query);
    res.json({
      results: page.map((r) => serializeRecord(r, query, crm)),
      ...(following ? { paging: { next: { after: following.id, link: `?after=${following.id}` } } } : {}),
    });
  });

  router.post('/:objectType', (req, res) => {
    const { crm } = portalOf(res);
    const type = objectTypeParam(req);
    const body = parseInput(createBody, req.body);
    const record = crm.create(
      type,
      body.properties,
      body.associations.map((a) => ({ toId: a.to.id, typeIds: a.types.map((t) => t.associationTypeId) })),
      API_WRITE,
    );
    res.status(201).json(serializeRecord(record, { properties: Object.keys(body.properties) }));
  });

  router.post('/:objectType/merge', (req, res) => {
    const { crm } = portalOf(res);
    const body = parseInput(mergeBody, req.body);
    const merged = crm.merge(objectTypeParam(req), body.primaryObjectId, body.objectIdToMerge);
    res.json(serializeRecord(merged, { properties: [] }));
  });

  router.post('/:objectType/gdpr-delete', (req, res) => {
    const { crm } = portalOf(res);
    const type = objectTypeParam(req);
    const body = parseInput(gdprDeleteBody, req.body);
    const record = requireRecord(crm, type, body.objectId, body.idProperty);
    crm.archive(type, record.id, 'GDPR', true);
    res.status(204).end();
  });

  router.get('/:objectType/:objectId', (req, res) => {
    const { crm } = portalOf(res);
    const type = objectTypeParam(req);
    const query = parseInput(readQuery, req.query, 'query');
    const record = requireRecord(crm, type, String(req.params.objectId), query.idProperty, query.archived);
    res.json(serializeRecord(record, query, crm));
  });

  router.patch('/:objectType/:objectId', (req, res) => {
    const { crm } = portalOf(res);
    const type = objectTypeParam(req);
    const body = parseInput(updateBody, req.body);
    const idProperty = typeof req.query.idProperty === 'string' ? req.query.idProperty : undefined;
    const record = requireRecord(crm, type, String(req.params.objectId), idProperty);
    crm.update(type, record.id, body.properties, API_WRITE);
    res.json(serializeRecord(record, { properties: Object.keys(body.properties) }));
  });

  router.delete('/:objectType/:objectId', (req, res) => {
    const { crm } = portalOf(res);
    crm.archive(objectTypeParam(req), String(req.params.objectId));
    res.status(204).end();
  });
}

type ListPage = { page: CrmRecord[]; following: CrmRecord | undefined };

/** Active records in id order from the hs_object_id index: a page costs its size, not the portal's. */
function activePage(crm: CrmService, type: ObjectType, query: { after?: string | undefined; limit: number }): ListPage {
  const table = crm.table(type);
  const from = query.after ? { key: Number(query.after), inclusive: true } : null;
  const records: CrmRecord[] = [];
  for (const id of table.indexOf('hs_object_id', crm.definition(type, 'hs_object_id')).range(from, null)) {
    records.push(table.get(String(id)) as CrmRecord);
    if (records.length > query.limit) break;
  }
  return { page: records.slice(0, query.limit), following: records[query.limit] };
}

/** Archived records are few and not indexed. */
function archivedPage(crm: CrmService, type: ObjectType, query: { after?: string | undefined; limit: number }): ListPage {
  const all = crm.all(type, true).sort((a, b) => Number(a.id) - Number(b.id));
  const start = query.after ? all.findIndex((r) => Number(r.id) >= Number(query.after)) : 0;
  const from = start === -1 ? all.length : start;
  return { page: all.slice(from, from + query.limit), following: all[from + query.limit] };
}
