import type { Router } from 'express';
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
    const all = crm.all(type, query.archived).sort((a, b) => Number(a.id) - Number(b.id));
    const start = query.after ? all.findIndex((r) => Number(r.id) >= Number(query.after)) : 0;
    const from = start === -1 ? all.length : start;
    const page = all.slice(from, from + query.limit);
    const following = all[from + query.limit];
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
