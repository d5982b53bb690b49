/**
 * Scopes the backend needs, each with the call that needs it. HubSpot asks the installing admin to grant all of
 * them, so nothing here is "just in case".
 */
export const REQUIRED_SCOPES = [
  // Listed by HubSpot's own static-auth and OAuth templates: the token exchange and token introspection.
  'oauth',
  // Read facts and write lc_* properties (+ lifecyclestage); tasks and notes for re-engagement alerts are
  // covered by the contacts scopes (Tasks/Notes API scope requirements).
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  // Properties API: read the portal's lifecyclestage options; create the lifecycle_engine group and lc_* properties.
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'crm.schemas.deals.read',
  'crm.schemas.deals.write',
  // Custom workflow actions and completing BLOCKed executions (automation/actions callbacks); the v4 flows API
  // (BETA) that installs the recommended workflows "uses the existing automation scope"
  // (https://developers.hubspot.com/docs/api/automation/workflows).
  'automation',
  // Lists API v3: `provision` creates and updates the marketing-paused, dead-end, recycle and SLA lists
  // (crm.lists.read is named on https://developers.hubspot.com/docs/methods/lists/get_lists; the write scope for
  // create/update-filters/delete by analogy: UNVERIFIED on the v3 reference pages).
  'crm.lists.read',
  'crm.lists.write',
] as const;
