import type { ObjectType } from '../../core';

/** HubSpot's plural object names in CRM paths. */
export const CRM_OBJECT_PATH: Record<ObjectType, string> = { contact: 'contacts', company: 'companies', deal: 'deals' };
