import { Button, EmptyState, ErrorState, hubspot, Link, LoadingButton, LoadingSpinner, ProgressBar, Select, Table, Tag, Text, Alert } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { ContactLifecycleSummary } from '../contact/ContactLifecycleSummary.tsx';
import type { ContactActionResult } from '../contract.ts';
import { answerFetch, contactAtAppointment, contactRecycled, deferredResponse, eventually, jsonResponse, patient, stage, summaryContext } from './fixtures.ts';

/** The contact's view URL; whatever identity query the shared fetch helper adds, the path is the tab card's. */
const VIEW_URL = /^https:\/\/lifecycle\.example\.com\/cards\/contact\/123(\?.*)?$/;
const ACTION_URL = (action: string) => new RegExp(`^https://lifecycle\\.example\\.com/cards/contact/123/actions/${action}(\\?.*)?$`);

function renderCard(location: 'crm.record.sidebar' | 'crm.preview' = 'crm.record.sidebar') {
  const renderer = createRenderer(location);
  const context = summaryContext(renderer, location, '0-1');
  renderer.render(<ContactLifecycleSummary context={context} />);
  return patient(renderer);
}

type Renderer = ReturnType<typeof renderCard>;
const loaded = (renderer: Renderer) => renderer.waitFor(() => expect(renderer.findByTestId(Tag, 'path-position')).toBeDefined());
const choose = (renderer: Renderer, selectName: string, value: string) => renderer.find(Select, { name: selectName }).trigger('onChange', value as never);

afterEach(() => jest.restoreAllMocks());

describe('Contact lifecycle summary in the record sidebar', () => {
  it('while loading, shows a spinner after asking for the same view as the tab card, once', async () => {
    const fetch = jest.spyOn(hubspot, 'fetch').mockReturnValue(deferredResponse().promise);
    const { find } = renderCard();
    await eventually(() => expect(fetch).toHaveBeenCalledWith(expect.stringMatching(VIEW_URL), expect.objectContaining({ method: 'GET' })));

    expect(find(LoadingSpinner)).toBeDefined();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('when the contact has not been evaluated yet, says so', async () => {
    answerFetch(jsonResponse({ synced: false, objectId: '123' }));
    const { find, maybeFind, waitFor } = renderCard();

    await waitFor(() => expect(find(EmptyState).props.title).toBe('Not evaluated yet'));
    expect(maybeFind(ProgressBar)).toBeNull();
  });

  it('when the backend fails, names the status and loads again on "Try again"', async () => {
    const fetch = answerFetch(jsonResponse({ message: 'boom' }, 503), jsonResponse(contactAtAppointment()));
    const renderer = renderCard();

    await renderer.waitFor(() => expect(renderer.find(ErrorState).find(Text).text).toContain('HTTP 503'));
    renderer.findByTestId(Button, 'retry').trigger('onClick');
    await loaded(renderer);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  describe('on the path', () => {
    it('shows the stage with its position on the path and the time in stage against the SLA', async () => {
      answerFetch(jsonResponse(contactAtAppointment()));
      const renderer = renderCard();
      await loaded(renderer);

      expect(renderer.findByTestId(Tag, 'path-position').text).toBe('Step 4 of 7');
      expect(renderer.find(ProgressBar).props).toMatchObject({ title: 'SLA breached', value: 30, maxValue: 30, valueDescription: '40 days of 30 days', variant: 'danger' });
    });

    it('stays narrow: no tables and no history', async () => {
      answerFetch(jsonResponse(contactAtAppointment()));
      const renderer = renderCard();
      await loaded(renderer);

      expect(renderer.maybeFind(Table)).toBeNull();
      expect(
        renderer
          .findAll(Text)
          .map((text) => text.text)
          .join(' '),
      ).not.toContain('A target account attended our event');
    });

    it('says when the stage has no SLA instead of drawing a bar', async () => {
      answerFetch(jsonResponse(contactAtAppointment({ timeInStage: { days: 2, sla: null } })));
      const renderer = renderCard();
      await loaded(renderer);

      expect(renderer.maybeFind(ProgressBar)).toBeNull();
      expect(renderer.findByTestId(Text, 'time-in-stage').text).toBe('In stage 2 days, no SLA.');
    });

    it('within the SLA, a green bar', async () => {
      answerFetch(jsonResponse(contactAtAppointment({ timeInStage: { days: 10, sla: { days: 30, status: 'within' } } })));
      const renderer = renderCard();
      await loaded(renderer);

      expect(renderer.find(ProgressBar).props).toMatchObject({ title: 'Time in stage', value: 10, variant: 'success' });
    });

    it('offers the suggested recycle: the reason first, then one click, and shows the view the backend sends back', async () => {
      const applied: ContactActionResult = { outcome: 'applied', message: 'Recycled: Pausing evaluation for now', view: contactRecycled() };
      const fetch = answerFetch(jsonResponse(contactAtAppointment()), jsonResponse(applied));
      const renderer = renderCard();
      await loaded(renderer);

      expect(renderer.findByTestId(Text, 'suggestion-why').text).toBe('Past its SLA in Appointment: recycle it to nurture with a reason rather than let it sit.');
      expect(renderer.findByTestId(LoadingButton, 'suggested-action').props.disabled).toBe(true);
      choose(renderer, 'suggested-recycle-reason', 'bad_timing');
      renderer.findByTestId(LoadingButton, 'suggested-action').trigger('onClick');

      await renderer.waitFor(() => expect(renderer.find(Alert, { title: 'Done' }).text).toBe('Recycled: Pausing evaluation for now'));
      expect(fetch).toHaveBeenLastCalledWith(expect.stringMatching(ACTION_URL('recycle')), expect.objectContaining({ method: 'POST', body: { reason: 'bad_timing' } }));
      expect(renderer.findByTestId(Tag, 'path-position').text).toBe('Off the path');
    });

    it('offers the next stage as one button when that is the suggestion', async () => {
      const view = contactAtAppointment({
        timeInStage: { days: 2, sla: { days: 30, status: 'within' } },
        suggestedAction: { action: 'fastpass', to: stage.opportunity, why: 'Already qualifies for Opportunity? Move it on.' },
      });
      const fetch = answerFetch(jsonResponse(view), jsonResponse({ outcome: 'applied', message: 'Moved to Opportunity', view } satisfies ContactActionResult));
      const renderer = renderCard();
      await loaded(renderer);

      expect(renderer.findAll(LoadingButton).map((button) => button.text)).toEqual(['Move to Opportunity']);
      renderer.findByTestId(LoadingButton, 'suggested-action').trigger('onClick');

      await renderer.waitFor(() => expect(renderer.find(Alert, { title: 'Done' })).toBeDefined());
      expect(fetch).toHaveBeenLastCalledWith(expect.stringMatching(ACTION_URL('fastpass')), expect.objectContaining({ method: 'POST', body: { to: 'opportunity' } }));
    });

    it('links to the record page and names the tab that holds the history', async () => {
      answerFetch(jsonResponse(contactAtAppointment()));
      const renderer = renderCard();
      await loaded(renderer);

      const link = renderer.findByTestId(Link, 'full-card');
      expect(link.props.href).toEqual({ url: 'https://app.hubspot.com/contacts/777/record/0-1/123', external: false });
      expect(link.text).toBe('History and every action: the “Lifecycle” tab');
    });
  });

  describe('on a recycle detour', () => {
    it('shows it is off the path, with the recycle reason and the days of email pause left', async () => {
      answerFetch(jsonResponse(contactRecycled()));
      const renderer = renderCard();
      await loaded(renderer);

      expect(renderer.findByTestId(Tag, 'path-position').props.variant).toBe('warning');
      expect(renderer.findByTestId(Text, 'recycle-reason').text).toBe('Recycled (2×): Pausing evaluation for now');
      expect(renderer.findByTestId(Text, 'email-pause').text).toBe('Marketing email paused, 12 days left.');
      expect(renderer.maybeFind(LoadingButton)).toBeNull(); // nothing suggested
    });

    it('says so once the pause is over', async () => {
      const recycled = contactRecycled();
      answerFetch(jsonResponse({ ...recycled, recycle: { ...recycled.recycle!, marketingPausedUntil: null, pauseDaysLeft: null } }));
      const renderer = renderCard();
      await loaded(renderer);

      expect(renderer.findByTestId(Text, 'email-pause').text).toBe('Marketing email not paused.');
    });
  });

  describe('at a dead end', () => {
    it('shows the dead-end reason and offers nothing', async () => {
      answerFetch(
        jsonResponse(
          contactAtAppointment({
            stage: stage.deadEnd,
            timeInStage: { days: 3, sla: null },
            deadEndReason: { code: 'student', label: 'Student' },
            allowedActions: { recycleReasons: [], deadEndReasons: [], fastpassTargets: [] },
            suggestedAction: null,
          }),
        ),
      );
      const renderer = renderCard();
      await loaded(renderer);

      expect(renderer.findByTestId(Tag, 'path-position').props.variant).toBe('error');
      expect(renderer.findByTestId(Text, 'dead-end-reason').text).toBe('Dead end: Student. Never recycled.');
      expect(renderer.maybeFind(LoadingButton)).toBeNull();
    });
  });

  describe('churned', () => {
    it('is off the path with nothing suggested', async () => {
      answerFetch(
        jsonResponse(
          contactAtAppointment({
            stage: { id: 'churned', label: 'Churned', kind: 'churned' },
            timeInStage: { days: 40, sla: null },
            suggestedAction: null,
          }),
        ),
      );
      const renderer = renderCard();
      await loaded(renderer);

      expect(renderer.findByTestId(Tag, 'path-position').text).toBe('Off the path');
      expect(renderer.maybeFind(LoadingButton)).toBeNull();
    });
  });
});

describe('Contact lifecycle summary in the preview panel', () => {
  it('renders the same summary where HubSpot opens record previews', async () => {
    answerFetch(jsonResponse(contactAtAppointment()));
    const renderer = renderCard('crm.preview');
    await loaded(renderer);

    expect(renderer.findByTestId(Tag, 'path-position').text).toBe('Step 4 of 7');
    expect(renderer.findByTestId(Link, 'full-card')).toBeDefined();
  });
});
