import { Router } from 'express';
import { z } from 'zod';
import { defaultAssociationType } from '../../domain/association-types';
import { describeType } from '../../domain/association-store';
import type { CrmService } from '../../domain/crm-service';
import { SimulatedApiError, validationError } from '../../domain/simulated-api-error';
import type { ObjectType } from '../../domain/object-types';
import { OBJECT_TYPE_IDS } from '../../domain/object-types';
import { parseInput } from '../parse-input';
import { portalOf } from '../portal-context';
import { batchEnvelope } from '../serialize-record';
import { objectTypeParam } from './object-lookup';

const id = z.union([z.string().min(1), z.number().int()]).transform(String);
const MAX_ASSOCIATION_BATCH = 1_000;
const batchInputs = <T extends z.ZodType>(item: T) =>
  z.looseObject({ inputs: z.array(item).max(MAX_ASSOCIATION_BATCH, `Batch size exceeds the maximum of ${MAX_ASSOCIATION_BATCH} inputs`) });
const specs = z.array(z.looseObject({ associationCategory: z.string().default('HUBSPOT_DEFINED'), associationTypeId: z.number().int() })).min(1);
const pageQuery = z.looseObject({
  limit: z.coerce.number().int().min(1).max(500).default(500),
  after: z.string().regex(/^\d+$/, 'after must be a paging cursor').optional(),
});

/** v4 shape of one associated record: `toObjectId` is a number in HubSpot's JSON. */
function associatedObjects(crm: CrmService, from: ObjectType, fromId: string, to: ObjectType) {
  return crm.associations.list(from, fromId, to).map((edge) => ({ toObjectId: Number(edge.toObjectId), associationTypes: edge.typeIds.map(describeType) }));
}

function defaultSpec(crm: CrmService, from: ObjectType, to: ObjectType) {
  const spec = defaultAssociationType(from, to);
  if (!spec) throw validationError(`There is no default association from ${from} to ${to}`);
  return spec;
}

function createDefault(crm: CrmService, from: ObjectType, fromId: string, to: ObjectType, toId: string) {
  const spec = defaultSpec(crm, from, to);
  crm.associate(spec, fromId, toId);
  return [
    { from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: spec.typeId } },
    { from: { id: toId }, to: { id: fromId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: spec.inverse } },
  ];
}

/** Associations v4: per-record read/create/delete and batch read/create/default/archive. */
export function associationsRouter(): Router {
  const router = Router();

  router.get('/objects/:fromType/:fromId/associations/:toType', (req, res) => {
    const { crm } = portalOf(res);
    const from = objectTypeParam(req, 'fromType');
    const to = objectTypeParam(req, 'toType');
    const query = parseInput(pageQuery, req.query, 'query');
    crm.require(from, String(req.params.fromId));
    const all = associatedObjects(crm, from, String(req.params.fromId), to);
    const start = Number(query.after ?? 0);
    const next = start + query.limit;
    res.json({ results: all.slice(start, next), ...(next < all.length ? { paging: { next: { after: String(next) } } } : {}) });
  });

  router.put('/objects/:fromType/:fromId/associations/default/:toType/:toId', (req, res) => {
    const { crm, clock } = portalOf(res);
    const startedAt = clock.now();
    const results = createDefault(crm, objectTypeParam(req, 'fromType'), String(req.params.fromId), objectTypeParam(req, 'toType'), String(req.params.toId));
    res.json(batchEnvelope(startedAt, clock.now(), results, []).body);
  });

  router.put('/objects/:fromType/:fromId/associations/:toType/:toId', (req, res) => {
    const { crm } = portalOf(res);
    const from = objectTypeParam(req, 'fromType');
    const to = objectTypeParam(req, 'toType');
    const fromId = String(req.params.fromId);
    const toId = String(req.params.toId);
    for (const s of parseInput(specs, req.body)) {
      const spec = crm.associationSpec(from, s.associationTypeId);
      if (spec.to !== to) throw validationError(`associationTypeId ${s.associationTypeId} does not link ${from} to ${to}`);
      crm.associate(spec, fromId, toId);
    }
    const labels =
      crm.associations
        .list(from, fromId, to)
        .find((e) => e.toObjectId === toId)
        ?.typeIds.map((t) => describeType(t).label)
        .filter((l): l is string => l !== null) ?? [];
    res.status(201).json({ fromObjectTypeId: OBJECT_TYPE_IDS[from], fromObjectId: Number(fromId), toObjectTypeId: OBJECT_TYPE_IDS[to], toObjectId: Number(toId), labels });
  });

  router.delete('/objects/:fromType/:fromId/associations/:toType/:toId', (req, res) => {
    portalOf(res).crm.dissociate(objectTypeParam(req, 'fromType'), String(req.params.fromId), objectTypeParam(req, 'toType'), String(req.params.toId));
    res.status(204).end();
  });

  router.post('/associations/:fromType/:toType/batch/read', (req, res) => {
    const { crm, clock } = portalOf(res);
    const from = objectTypeParam(req, 'fromType');
    const to = objectTypeParam(req, 'toType');
    const startedAt = clock.now();
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of parseInput(batchInputs(z.looseObject({ id })), req.body).inputs) {
      const found = crm.find(from, input.id) ? associatedObjects(crm, from, input.id, to) : [];
      if (found.length > 0) results.push({ from: { id: input.id }, to: found });
      else
        errors.push({
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          message: `No ${to} is associated with ${from} ${input.id}.`,
          context: { fromObjectId: [input.id] },
        });
    }
    const envelope = batchEnvelope(startedAt, clock.now(), results, errors);
    res.status(envelope.status).json(envelope.body);
  });

  router.post('/associations/:fromType/:toType/batch/associate/default', (req, res) => {
    const { crm, clock } = portalOf(res);
    const from = objectTypeParam(req, 'fromType');
    const to = objectTypeParam(req, 'toType');
    const startedAt = clock.now();
    const body = parseInput(batchInputs(z.looseObject({ from: z.looseObject({ id }), to: z.looseObject({ id }) })), req.body);
    const { results, errors } = settle(body.inputs, (i) => createDefault(crm, from, i.from.id, to, i.to.id));
    const envelope = batchEnvelope(startedAt, clock.now(), results.flat(), errors);
    res.status(envelope.status).json(envelope.body);
  });

  router.post('/associations/:fromType/:toType/batch/create', (req, res) => {
    const { crm, clock } = portalOf(res);
    const from = objectTypeParam(req, 'fromType');
    const to = objectTypeParam(req, 'toType');
    const startedAt = clock.now();
    const body = parseInput(batchInputs(z.looseObject({ from: z.looseObject({ id }), to: z.looseObject({ id }), types: specs })), req.body);
    const { results, errors } = settle(body.inputs, (i) => {
      for (const t of i.types) crm.associate(crm.associationSpec(from, t.associationTypeId), i.from.id, i.to.id);
      const labels = i.types.map((t) => describeType(t.associationTypeId).label).filter((l): l is string => l !== null);
      return { fromObjectTypeId: OBJECT_TYPE_IDS[from], fromObjectId: Number(i.from.id), toObjectTypeId: OBJECT_TYPE_IDS[to], toObjectId: Number(i.to.id), labels };
    });
    const envelope = batchEnvelope(startedAt, clock.now(), results, errors);
    res.status(envelope.status === 200 ? 201 : 207).json(envelope.body);
  });

  router.post('/associations/:fromType/:toType/batch/archive', (req, res) => {
    const { crm } = portalOf(res);
    const from = objectTypeParam(req, 'fromType');
    const to = objectTypeParam(req, 'toType');
    const body = parseInput(batchInputs(z.looseObject({ from: z.looseObject({ id }), to: z.array(z.looseObject({ id })) })), req.body);
    for (const input of body.inputs) for (const target of input.to) crm.dissociate(from, input.from.id, to, target.id);
    res.status(204).end();
  });

  return router;
}

function settle<I, R>(inputs: I[], run: (input: I) => R): { results: R[]; errors: unknown[] } {
  const results: R[] = [];
  const errors: unknown[] = [];
  for (const input of inputs) {
    try {
      results.push(run(input));
    } catch (error) {
      const e = error instanceof SimulatedApiError ? error : new SimulatedApiError(500, 'INTERNAL_ERROR', String(error));
      errors.push({ status: 'error', category: e.category, message: e.message, context: {} });
    }
  }
  return { results, errors };
}
