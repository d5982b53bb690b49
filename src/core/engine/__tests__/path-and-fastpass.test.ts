import { answeredNps, bookedMeeting, clickedEmail, createdDeal, days, daysAgo, facts, inStage, newContact, NOW, path, run, submittedForm, viewedPage, wonDeal } from './builders';

describe('entry: a record enters the lifecycle when contact information exists', () => {
  it('a contact with an email address enters Lead acquired, dated when it was created', () => {
    const d = run(newContact(), facts({ createdAt: daysAgo(20) }));
    expect(d.kind).toBe('enter');
    expect(d.steps).toEqual([expect.objectContaining({ from: null, to: 'lead_acquired', kind: 'enter', at: daysAgo(20), ruleId: 'entry', reason: 'Contact information obtained' })]);
    expect(d.steps[0]!.evidence).toEqual(['email is "jane@acme.test" (exists)']);
    expect(d.state).toMatchObject({ stage: 'lead_acquired', enteredAt: daysAgo(20), previousStage: null, lastTransitionKind: 'enter' });
  });

  it('a company with only a domain enters too', () => {
    const d = run(newContact('company', 'C-1'), facts({ properties: { email: null, domain: 'acme.test' } }));
    expect(d.state.stage).toBe('lead_acquired');
  });

  it('a record without an email or a domain stays outside the lifecycle and nothing is written', () => {
    const d = run(newContact(), facts({ properties: { email: null, firstname: 'Jane' }, events: [clickedEmail(daysAgo(3))] }));
    expect(d).toMatchObject({ kind: 'none', steps: [], effects: [], wakeAt: null });
    expect(d.state.stage).toBeNull();
  });

  it('an email that is only whitespace is not contact information', () => {
    expect(run(newContact(), facts({ properties: { email: '   ' } })).state.stage).toBeNull();
  });

  it('a new record replays its history from creation, but a score of unknown age counts only from when it was read', () => {
    const d = run(newContact(), facts({ createdAt: daysAgo(300), properties: { hubspotscore: '130' }, events: [clickedEmail(daysAgo(200))] }));
    expect(d.steps.map((s) => [s.to, s.at])).toEqual([
      ['lead_acquired', daysAgo(300)],
      ['nurturing', daysAgo(200)],
      ['mql', NOW],
    ]);
  });

  it('a value we know only since we first observed it (propertyObservedAt) counts from then; who the contact is still dates from its creation', () => {
    const observed = { propertyObservedAt: { hubspotscore: daysAgo(50), email: daysAgo(50), jobtitle: daysAgo(50) } };
    const scored = run(newContact(), { ...facts({ createdAt: daysAgo(300), properties: { hubspotscore: '130' }, events: [clickedEmail(daysAgo(200))] }), ...observed });
    expect(scored.steps.map((s) => [s.to, s.at])).toEqual([
      ['lead_acquired', daysAgo(300)],
      ['nurturing', daysAgo(200)],
      ['mql', daysAgo(50)],
    ]);
    const student = run(newContact(), { ...facts({ createdAt: daysAgo(300), properties: { jobtitle: 'Student' }, events: [clickedEmail(daysAgo(200))] }), ...observed });
    expect(student.steps.map((s) => [s.to, s.at])).toEqual([
      ['lead_acquired', daysAgo(300)],
      ['dead_end', daysAgo(300)],
    ]);
  });

  it('without a creation time, entry is dated when the facts were read', () => {
    const d = run(newContact(), facts({ createdAt: null, observedAt: NOW - 5_000 }));
    expect(d.steps[0]!.at).toBe(NOW - 5_000);
  });
});

describe('advance: each success-path criterion moves the record one stage, dated when it was met', () => {
  it('an email click moves Lead acquired to Nurturing', () => {
    const d = run(inStage('lead_acquired', daysAgo(30)), facts({ events: [clickedEmail(daysAgo(12))] }));
    expect(d.steps).toEqual([expect.objectContaining({ from: 'lead_acquired', to: 'nurturing', kind: 'advance', at: daysAgo(12), skipped: [] })]);
  });

  it('a site visit moves Lead acquired to Nurturing', () => {
    const d = run(inStage('lead_acquired', daysAgo(30)), facts({ events: [viewedPage(daysAgo(2))] }));
    expect(d.state).toMatchObject({ stage: 'nurturing', enteredAt: daysAgo(2), previousStage: 'lead_acquired' });
  });

  it('activity from before the record entered its stage does not count again', () => {
    const d = run(inStage('nurturing', daysAgo(10)), facts({ events: [submittedForm(daysAgo(20), 'demo_request')] }));
    expect(d).toMatchObject({ kind: 'none', steps: [], effects: [] });
  });

  it.each(['catalog_request', 'document_request', 'contact_us', 'demo_request'])('a %s form moves Nurturing to MQL', (formKind) => {
    const d = run(inStage('nurturing', daysAgo(30)), facts({ events: [submittedForm(daysAgo(1), formKind)] }));
    expect(d.steps).toEqual([expect.objectContaining({ from: 'nurturing', to: 'mql', kind: 'advance', at: daysAgo(1) })]);
  });

  it('a newsletter sign-up is not a direct inquiry: the record stays in Nurturing', () => {
    const d = run(inStage('nurturing', daysAgo(30)), facts({ events: [submittedForm(daysAgo(1), 'newsletter')] }));
    expect(d.kind).toBe('none');
  });

  it('a lead score reaching the threshold (100) moves Nurturing to MQL when the score changed', () => {
    const d = run(inStage('nurturing', daysAgo(30)), facts({ properties: { hubspotscore: '100' }, propertyChangedAt: { hubspotscore: daysAgo(4) } }));
    expect(d.steps).toEqual([expect.objectContaining({ to: 'mql', kind: 'advance', at: daysAgo(4), evidence: ['hubspotscore 100 ≥ 100'] })]);
  });

  it('a lead score of 99 is below the threshold', () => {
    expect(run(inStage('nurturing', daysAgo(30)), facts({ properties: { hubspotscore: '99' } })).kind).toBe('none');
  });

  it('a score that changed before the record entered Nurturing moves it at the moment it entered', () => {
    const d = run(inStage('nurturing', daysAgo(30)), facts({ properties: { hubspotscore: '120' }, propertyChangedAt: { hubspotscore: daysAgo(60) } }));
    expect(d.steps[0]).toMatchObject({ to: 'mql', at: daysAgo(30) });
  });

  it('a score with no known change time is dated when the facts were read', () => {
    const d = run(inStage('nurturing', daysAgo(30)), facts({ properties: { hubspotscore: '150' }, observedAt: NOW - 60_000 }));
    expect(d.steps[0]).toMatchObject({ to: 'mql', at: NOW - 60_000 });
  });

  it('a booked meeting moves MQL to Appointment', () => {
    const d = run(inStage('mql', daysAgo(3)), facts({ events: [bookedMeeting(daysAgo(1))] }));
    expect(d.steps).toEqual([expect.objectContaining({ from: 'mql', to: 'appointment', kind: 'advance', reason: 'SDR booked a meeting' })]);
  });

  it('an opened deal moves Appointment to Opportunity', () => {
    const d = run(inStage('appointment', daysAgo(10)), facts({ events: [createdDeal(daysAgo(1))] }));
    expect(d.steps).toEqual([expect.objectContaining({ from: 'appointment', to: 'opportunity', kind: 'advance', reason: 'A deal was opened' })]);
  });

  it('a closed-won deal moves Opportunity to Customer', () => {
    const d = run(inStage('opportunity', daysAgo(10)), facts({ events: [wonDeal(daysAgo(1))] }));
    expect(d.steps).toEqual([expect.objectContaining({ from: 'opportunity', to: 'customer', kind: 'advance', at: daysAgo(1) })]);
  });

  it.each(['upsell', 'cross_sell', 'renewal'])('a won %s deal moves Customer to Expand', (dealType) => {
    const d = run(inStage('customer', daysAgo(100)), facts({ events: [wonDeal(daysAgo(1), 'D-2', dealType)] }));
    expect(d.steps).toEqual([expect.objectContaining({ from: 'customer', to: 'expand', kind: 'advance' })]);
  });

  it('a promoter (NPS 9) moves Customer to Expand; a passive (NPS 8) does not', () => {
    expect(run(inStage('customer', daysAgo(100)), facts({ events: [answeredNps(daysAgo(1), 9)] })).state.stage).toBe('expand');
    expect(run(inStage('customer', daysAgo(100)), facts({ events: [answeredNps(daysAgo(1), 8)] })).state.stage).toBe('customer');
  });

  it('Expand is the end of the path: more activity does not move it', () => {
    const d = run(inStage('expand', daysAgo(100)), facts({ events: [wonDeal(daysAgo(1), 'D-3', 'upsell'), answeredNps(daysAgo(1), 10)] }));
    expect(d.kind).toBe('none');
  });

  it('a whole history read at once replays stage by stage, each move dated when it happened', () => {
    const d = run(
      newContact(),
      facts({
        createdAt: daysAgo(200),
        events: [clickedEmail(daysAgo(150)), submittedForm(daysAgo(120), 'demo_request'), bookedMeeting(daysAgo(118)), createdDeal(daysAgo(100)), wonDeal(daysAgo(40))],
      }),
    );
    expect(d.steps.map((s) => [s.from, s.to, s.kind, s.at])).toEqual([
      [null, 'lead_acquired', 'enter', daysAgo(200)],
      ['lead_acquired', 'nurturing', 'advance', daysAgo(150)],
      ['nurturing', 'mql', 'advance', daysAgo(120)],
      ['mql', 'appointment', 'advance', daysAgo(118)],
      ['appointment', 'opportunity', 'advance', daysAgo(100)],
      ['opportunity', 'customer', 'advance', daysAgo(40)],
    ]);
    expect(d).toMatchObject({ kind: 'advance', from: null, to: 'customer', skipped: [] });
    expect(d.reasons[1]).toBe('Lead acquired → Nurturing [advance]: Reacted to marketing: clicked an email link or visited the site — email_clicked at 2025-10-02T12:00:00.000Z');
  });

  it('activity dated after "now" is not known yet and moves nothing', () => {
    const d = run(inStage('mql', daysAgo(3)), facts({ events: [bookedMeeting(NOW + days(1))] }));
    expect(d.kind).toBe('none');
  });
});

describe('Fastpass: a move that skips stages is recorded as a skip', () => {
  it('a quote request from Lead acquired goes straight to MQL, skipping Nurturing', () => {
    const d = run(inStage('lead_acquired', daysAgo(30)), facts({ events: [submittedForm(daysAgo(2), 'quote_request')] }));
    expect(d.steps).toEqual([
      expect.objectContaining({
        from: 'lead_acquired',
        to: 'mql',
        kind: 'fastpass',
        ruleId: 'quote_request',
        skipped: ['nurturing'],
        reason: 'Asked for a quote: already comparing vendors',
      }),
    ]);
    expect(d.skipped).toEqual(['nurturing']);
    expect(d.reasons[0]).toMatch(/^Lead acquired → MQL \[fastpass\] \(skipped Nurturing\): /);
  });

  it('a deal created from Nurturing goes straight to Opportunity, skipping MQL and Appointment', () => {
    const d = run(inStage('nurturing', daysAgo(30)), facts({ events: [createdDeal(daysAgo(2))] }));
    expect(d.steps).toEqual([expect.objectContaining({ from: 'nurturing', to: 'opportunity', kind: 'fastpass', ruleId: 'deal_opened_early', skipped: ['mql', 'appointment'] })]);
  });

  it('a target account attending our event goes straight to Appointment', () => {
    const d = run(
      inStage('lead_acquired', daysAgo(30)),
      facts({
        properties: { hs_is_target_account: 'true' },
        propertyChangedAt: { hs_is_target_account: daysAgo(100) },
        events: [submittedForm(daysAgo(3), 'event_registration')],
      }),
    );
    expect(d.steps).toEqual([
      expect.objectContaining({ from: 'lead_acquired', to: 'appointment', kind: 'fastpass', ruleId: 'target_account_event', at: daysAgo(3), skipped: ['nurturing', 'mql'] }),
    ]);
  });

  it('an event registration from an account that is not targeted is not a Fastpass', () => {
    const d = run(inStage('lead_acquired', daysAgo(30)), facts({ events: [submittedForm(daysAgo(3), 'event_registration')] }));
    expect(d.kind).toBe('none');
  });

  it('a meeting booked from Nurturing goes to Appointment, skipping MQL', () => {
    const d = run(inStage('nurturing', daysAgo(30)), facts({ events: [bookedMeeting(daysAgo(2))] }));
    expect(d.steps).toEqual([expect.objectContaining({ to: 'appointment', kind: 'fastpass', skipped: ['mql'] })]);
  });

  it('a deal won before any other step takes a Lead straight to Customer', () => {
    const d = run(inStage('lead_acquired', daysAgo(30)), facts({ events: [wonDeal(daysAgo(2))] }));
    expect(d.steps).toEqual([expect.objectContaining({ to: 'customer', kind: 'fastpass', skipped: ['nurturing', 'mql', 'appointment', 'opportunity'] })]);
  });

  it('when several moves happen at the same instant, the furthest one wins', () => {
    const at = daysAgo(2);
    const d = run(inStage('nurturing', daysAgo(30)), facts({ events: [submittedForm(at, 'demo_request'), bookedMeeting(at), createdDeal(at)] }));
    expect(path(d)).toEqual(['opportunity']);
  });

  it('the earliest signal moves first, then the next one continues from there', () => {
    const d = run(inStage('nurturing', daysAgo(30)), facts({ events: [createdDeal(daysAgo(2)), submittedForm(daysAgo(5), 'demo_request')] }));
    expect(d.steps.map((s) => [s.to, s.kind, s.skipped])).toEqual([
      ['mql', 'advance', []],
      ['opportunity', 'fastpass', ['appointment']],
    ]);
    expect(d.skipped).toEqual(['appointment']);
  });
});
