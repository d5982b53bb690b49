import type { Router } from 'express';
import type { CrmRecord } from '../../domain/crm-record';
import { API_WRITE } from '../../domain/crm-record';
import { SimulatedApiError } from '../../domain/simulated-api-error';
import type { ObjectType } from '../../domain/object-types';
import { parseInput } from '../parse-input';
import { portalOf } from '../portal-context';
import { batchArchiveBody, batchCreateBody, batchReadBody, batchUpdateBody } from '../schemas/object-schemas';
import { batchEnvelope, serializeRecord } from '../serialize-record';
import { locate, objectTypeParam } from './object-lookup';

/** A per-input error as HubSpot lists it in a 207 body. */
function inputError(error: unknown, id: string | undefined): Record<string, unknown> {
  const e = error instanceof SimulatedApiError ? error : new SimulatedApiError(500, 'INTERNAL_ERROR', (error as Error).message);
  return {
    status: 'error',
    category: e.category,
    message: e.message,
    context: { ...(id !== undefined ? { ids: [id] } : {}) },
    ...(e.details.errors ? { errors: e.details.errors } : {}),
  };
}

/**
 * Batch endpoints (≤ 100 inputs; 101 → 400). Each input succeeds or fails on its own: failures make a
 * 207 multi-status with `errors` and `numErrors`. (Whether real HubSpot fails a whole batch on one invalid
 * property value is UNVERIFIED; the brief's contract is per-input.)
 */
export function registerBatchObjectRoutes(router: Router): void {
  router.post('/:objectType/batch/read', (req, res) => {
    const { crm, clock } = portalOf(res);
    const type = objectTypeParam(req);
    const body = parseInput(batchReadBody, req.body);
    const startedAt = clock.now();
    const archived = req.query.archived === 'true';
    const found: CrmRecord[] = [];
    const missing: string[] = [];
    for (const input of body.inputs) {
      const record = locate(crm, type, input.id, body.idProperty, archived);
      if (record) found.push(record);
      else missing.push(input.id);
    }
    const errors = missing.length
      ? [
          {
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            message: `Could not get some ${type.toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
            context: { ids: missing },
          },
        ]
      : [];
    const envelope = batchEnvelope(
      startedAt,
      clock.now(),
      found.map((r) => serializeRecord(r, body)),
      errors,
    );
    res.status(envelope.status).json(envelope.body);
  });

  router.post('/:objectType/batch/create', (req, res) => {
    const { crm, clock } = portalOf(res);
    const type = objectTypeParam(req);
    const body = parseInput(batchCreateBody, req.body);
    const startedAt = clock.now();
    const { results, errors } = each(
      body.inputs,
      (input) =>
        serializeRecord(
          crm.create(
            type,
            input.properties,
            input.associations.map((a) => ({ toId: a.to.id, typeIds: a.types.map((t) => t.associationTypeId) })),
            API_WRITE,
          ),
          {
            properties: Object.keys(input.properties),
          },
        ),
      () => undefined,
    );
    const envelope = batchEnvelope(startedAt, clock.now(), results, errors);
    res.status(envelope.status === 200 ? 201 : 207).json(envelope.body);
  });

  router.post('/:objectType/batch/update', (req, res) => {
    const { crm, clock } = portalOf(res);
    const type = objectTypeParam(req);
    const body = parseInput(batchUpdateBody, req.body);
    const startedAt = clock.now();
    const { results, errors } = each(
      body.inputs,
      (input) => serializeRecord(update(crm, type, input), { properties: Object.keys(input.properties) }),
      (input) => input.id,
    );
    const envelope = batchEnvelope(startedAt, clock.now(), results, errors);
    res.status(envelope.status).json(envelope.body);
  });

  router.post('/:objectType/batch/archive', (req, res) => {
    const { crm } = portalOf(res);
    const type = objectTypeParam(req);
    const body = parseInput(batchArchiveBody, req.body);
    for (const input of body.inputs) crm.archive(type, input.id);
    res.status(204).end();
  });
}

function update(crm: ReturnType<typeof portalOf>['crm'], type: ObjectType, input: { id: string; properties: Record<string, unknown>; idProperty?: string | undefined }): CrmRecord {
  const record = locate(crm, type, input.id, input.idProperty);
  if (!record) throw new SimulatedApiError(404, 'OBJECT_NOT_FOUND', `Object not found. objectId are usually numeric. (${input.id})`);
  return crm.update(type, record.id, input.properties, API_WRITE);
}

function each<I>(inputs: I[], run: (input: I) => unknown, idOf: (input: I) => string | undefined): { results: unknown[]; errors: unknown[] } {
  const results: unknown[] = [];
  const errors: unknown[] = [];
  for (const input of inputs) {
    try {
      results.push(run(input));
    } catch (error) {
      errors.push(inputError(error, idOf(input)));
    }
  }
  return { results, errors };
}
