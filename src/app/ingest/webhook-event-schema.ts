import { z } from 'zod';

const idLike = z.union([z.number(), z.string().min(1)]).transform(String);

/**
 * One event of a HubSpot webhook delivery. Loose: HubSpot adds fields over time and we must not refuse a delivery
 * for a field we do not know. Strict about what we rely on.
 */
export const WebhookEventSchema = z.looseObject({
  eventId: idLike,
  subscriptionId: idLike,
  portalId: z.number().int().positive(),
  appId: z.number().int().optional(),
  occurredAt: z.number().int().positive(),
  subscriptionType: z.string().min(1),
  attemptNumber: z.number().int().min(0).default(0),
  objectId: idLike.optional(),
  objectTypeId: z.string().optional(),
  propertyName: z.string().optional(),
  propertyValue: z.string().optional(),
  changeSource: z.string().optional(),
  changeFlag: z.string().optional(),
  sourceId: z.string().optional(),
  // merges
  primaryObjectId: idLike.optional(),
  mergedObjectIds: z.array(idLike).optional(),
  newObjectId: idLike.optional(),
  // association changes
  fromObjectId: idLike.optional(),
  toObjectId: idLike.optional(),
  fromObjectTypeId: z.string().optional(),
  toObjectTypeId: z.string().optional(),
  associationType: z.string().optional(),
  associationRemoved: z.boolean().optional(),
});
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;
