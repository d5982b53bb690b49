import { Router } from 'express';
import type { PropertyDefinition } from '../../domain/property-types';
import { SimulatedApiError } from '../../domain/simulated-api-error';
import { parseInput } from '../parse-input';
import { portalOf } from '../portal-context';
import { groupCreateBody, groupUpdateBody, propertyBatchCreateBody, propertyBatchNamesBody, propertyCreateBody, propertyUpdateBody } from '../schemas/property-schemas';
import { batchEnvelope } from '../serialize-record';
import { objectTypeParam } from './object-lookup';

/** HubSpot's Property JSON: our read-only flag lives in `modificationMetadata`. */
export function serializeProperty(def: PropertyDefinition): Record<string, unknown> {
  const { readOnlyValue, ...rest } = def;
  return { ...rest, modificationMetadata: { archivable: !def.hubspotDefined, readOnlyDefinition: def.hubspotDefined, readOnlyValue } };
}

/** Properties API: groups, properties, batch create/read/archive; 409 on duplicates. */
export function propertiesRouter(): Router {
  const router = Router();

  router.get('/:objectType/groups', (req, res) => {
    res.json({ results: portalOf(res).registry.listGroups(objectTypeParam(req)) });
  });
  router.post('/:objectType/groups', (req, res) => {
    const body = parseInput(groupCreateBody, req.body);
    res.status(201).json(portalOf(res).registry.createGroup(objectTypeParam(req), body));
  });
  router.get('/:objectType/groups/:groupName', (req, res) => {
    res.json(portalOf(res).registry.getGroup(objectTypeParam(req), String(req.params.groupName)));
  });
  router.patch('/:objectType/groups/:groupName', (req, res) => {
    const body = parseInput(groupUpdateBody, req.body);
    const patch = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    res.json(portalOf(res).registry.updateGroup(objectTypeParam(req), String(req.params.groupName), patch));
  });
  router.delete('/:objectType/groups/:groupName', (req, res) => {
    portalOf(res).registry.archiveGroup(objectTypeParam(req), String(req.params.groupName));
    res.status(204).end();
  });

  router.post('/:objectType/batch/create', (req, res) => {
    const { registry, clock } = portalOf(res);
    const type = objectTypeParam(req);
    const startedAt = clock.now();
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const raw of parseInput(propertyBatchCreateBody, req.body).inputs) {
      try {
        results.push(serializeProperty(registry.create(type, parseInput(propertyCreateBody, raw))));
      } catch (error) {
        const e = error instanceof SimulatedApiError ? error : new SimulatedApiError(500, 'INTERNAL_ERROR', String(error));
        errors.push({ status: 'error', category: e.category, message: e.message, context: { name: [(raw as { name?: string })?.name ?? ''] } });
      }
    }
    const envelope = batchEnvelope(startedAt, clock.now(), results, errors);
    res.status(envelope.status === 200 ? 201 : 207).json(envelope.body);
  });
  router.post('/:objectType/batch/read', (req, res) => {
    const { registry, clock } = portalOf(res);
    const type = objectTypeParam(req);
    const startedAt = clock.now();
    const body = parseInput(propertyBatchNamesBody, req.body);
    const found = body.inputs.map((i) => registry.find(type, i.name)).filter((p): p is PropertyDefinition => p !== undefined);
    const missing = body.inputs.filter((i) => !registry.find(type, i.name)).map((i) => i.name);
    const errors = missing.length ? [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: `Unable to find properties: ${missing.join(', ')}`, context: { properties: missing } }] : [];
    const envelope = batchEnvelope(startedAt, clock.now(), found.map(serializeProperty), errors);
    res.status(envelope.status).json(envelope.body);
  });
  router.post('/:objectType/batch/archive', (req, res) => {
    const { registry } = portalOf(res);
    const type = objectTypeParam(req);
    for (const input of parseInput(propertyBatchNamesBody, req.body).inputs) registry.archive(type, input.name);
    res.status(204).end();
  });

  router.get('/:objectType', (req, res) => {
    res.json({ results: portalOf(res).registry.list(objectTypeParam(req)).map(serializeProperty) });
  });
  router.post('/:objectType', (req, res) => {
    const body = parseInput(propertyCreateBody, req.body);
    res.status(201).json(serializeProperty(portalOf(res).registry.create(objectTypeParam(req), body)));
  });
  router.get('/:objectType/:propertyName', (req, res) => {
    res.json(serializeProperty(portalOf(res).registry.get(objectTypeParam(req), String(req.params.propertyName))));
  });
  router.patch('/:objectType/:propertyName', (req, res) => {
    const body = parseInput(propertyUpdateBody, req.body);
    const patch = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as Partial<PropertyDefinition>;
    res.json(serializeProperty(portalOf(res).registry.update(objectTypeParam(req), String(req.params.propertyName), patch)));
  });
  router.delete('/:objectType/:propertyName', (req, res) => {
    portalOf(res).registry.archive(objectTypeParam(req), String(req.params.propertyName));
    res.status(204).end();
  });

  return router;
}
