import type { CompiledModel } from '../../core';
import { modelProperties } from '../facts/fact-properties';
import type { CrmRecord, HubSpotPort } from '../ports/hubspot-port';
import { chunk } from '../pipeline/chunk';

/**
 * Model properties that live on the company record, not the contact: HubSpot's target-account flag
 * (`hs_is_target_account`, a company property of the ABM tools). A contact's facts carry its companies' value, so
 * a rule such as "a target account attended our event" reads it as the contact's own.
 */
export const COMPANY_FACT_PROPERTIES: readonly string[] = ['hs_is_target_account'];

const ASSOCIATION_BATCH = 1_000;
const READ_BATCH = 100;

/**
 * Copies the company properties the model reads onto the contacts' records (in place): a boolean flag is "true" when
 * any associated company has it set, so a contact of a target account counts as one whichever company is primary.
 * Costs one association call per 1,000 contacts and one read per 100 companies, and nothing when the model reads
 * no company property.
 */
export async function mergeCompanyFacts(hubspot: Pick<HubSpotPort, 'associations' | 'batchRead'>, model: CompiledModel, records: CrmRecord[]): Promise<void> {
  const wanted = COMPANY_FACT_PROPERTIES.filter((name) => modelProperties(model).includes(name));
  if (wanted.length === 0 || records.length === 0) return;
  const companiesOf = new Map<string, string[]>();
  for (const ids of chunk(
    records.map((r) => r.id),
    ASSOCIATION_BATCH,
  )) {
    for (const [contactId, companyIds] of await hubspot.associations('contact', 'company', ids)) companiesOf.set(contactId, companyIds);
  }
  const companyValues = new Map<string, Record<string, string | null>>();
  for (const ids of chunk([...new Set([...companiesOf.values()].flat())], READ_BATCH)) {
    for (const company of (await hubspot.batchRead('company', ids, wanted)).records) companyValues.set(company.id, company.properties);
  }
  for (const record of records) {
    const companies = (companiesOf.get(record.id) ?? []).flatMap((id) => {
      const values = companyValues.get(id);
      return values ? [values] : [];
    });
    for (const name of wanted) {
      const values = companies.map((c) => c[name]).filter((v): v is string => typeof v === 'string' && v !== '');
      record.properties[name] = values.includes('true') ? 'true' : (values[0] ?? record.properties[name] ?? null);
    }
  }
}
