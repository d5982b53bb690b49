import { defaultModel } from '../../core';
import { propertiesReadByModel, watchedProperties } from '../watched-properties';

describe('properties the webhooks watch', () => {
  it("collects every property the default model's criteria and reason mappings read", () => {
    expect(propertiesReadByModel(defaultModel())).toEqual([
      'domain',
      'email',
      'hs_email_hard_bounce_reason_enum',
      'hs_is_target_account',
      'hs_lead_status',
      'hubspotscore',
      'jobtitle',
      'lc_churned',
      'lc_dead_end_request',
      'lifecyclestage',
    ]);
  });

  it('watches company-level facts on companies and the rest on contacts', () => {
    const watched = watchedProperties(defaultModel());
    expect(watched.company).toEqual(expect.arrayContaining(['domain', 'hs_is_target_account']));
    expect(watched.contact).not.toContain('hs_is_target_account');
    expect(watched.contact).toEqual(expect.arrayContaining(['hubspotscore', 'hs_lead_status', 'hs_email_last_click_date', 'num_associated_deals']));
    expect(watched.deal).toEqual(['closed_lost_reason', 'dealstage', 'dealtype', 'hubspot_owner_id']);
  });
});
