import {
  Alert,
  DescriptionList,
  DescriptionListItem,
  EmptyState,
  ErrorState,
  hubspot,
  LoadingButton,
  LoadingSpinner,
  ProgressBar,
  Select,
  StatusTag,
  StepIndicator,
  Table,
  Tag,
  Text,
  Button,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { ContactLifecycle } from '../contact/ContactLifecycle.tsx';
import type { ContactActionResult } from '../contract.ts';
import { eventually, patient, answerFetch, contactAtAppointment, contactRecycled, deferredResponse, jsonResponse, tableRows } from './fixtures.ts';

/** Who is asking, as the card states it from the testing library's context (portal 123, user 1). */
const IDENTITY = `portalId=123&userId=1&userEmail=${encodeURIComponent(createRenderer('crm.record.tab').mocks.context.user.email)}`;
const VIEW_URL = `https://lifecycle.example.com/cards/contact/123?${IDENTITY}`;
/** An action URL: the identity, then a fresh request id per press. */
const ACTION_URL = (action: string) =>
  expect.stringMatching(
    new RegExp(`^https://lifecycle\\.example\\.com/cards/contact/123/actions/${action}\\?${IDENTITY.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}&requestId=[A-Za-z0-9_-]{8,64}$`),
  );

function renderCard() {
  const renderer = createRenderer('crm.record.tab');
  const context = { ...renderer.mocks.context, user: { ...renderer.mocks.context.user, locale: 'en-US' } };
  renderer.render(<ContactLifecycle context={context} />);
  return patient(renderer);
}

type Renderer = ReturnType<typeof renderCard>;

/** The testing library types the event argument as the handler itself; at runtime it is passed to the handler. */
function choose(renderer: Renderer, selectName: string, value: string) {
  renderer.find(Select, { name: selectName }).trigger('onChange', value as never);
}

const loaded = (renderer: Renderer) => renderer.waitFor(() => expect(renderer.find(StepIndicator)).toBeDefined());

afterEach(() => jest.restoreAllMocks());

describe('Contact lifecycle card', () => {
  describe('while loading', () => {
    it('shows a spinner and asks the backend for this record with a 5 s budget', async () => {
      const fetch = jest.spyOn(hubspot, 'fetch').mockReturnValue(deferredResponse().promise);
      const { find } = renderCard();
      await eventually(() => expect(fetch).toHaveBeenCalledWith(VIEW_URL, { method: 'GET', timeout: 5000 }));

      expect(find(LoadingSpinner).props.label).toBe('Loading lifecycle data…');
    });
  });

  describe('when the backend fails', () => {
    it('names the HTTP status and loads again on "Try again"', async () => {
      const fetch = answerFetch(jsonResponse({ message: 'boom' }, 500), jsonResponse(contactAtAppointment()));
      const renderer = renderCard();

      await renderer.waitFor(() => expect(renderer.find(ErrorState).find(Text).text).toContain('HTTP 500'));
      renderer.findByTestId(Button, 'retry').trigger('onClick');
      await loaded(renderer);
      expect(fetch).toHaveBeenCalledTimes(2);
    });

    it('says the service could not be reached when the request itself fails (timeout, network)', async () => {
      answerFetch(new Error('timeout'));
      const { find, waitFor } = renderCard();

      await waitFor(() => expect(find(ErrorState).find(Text).text).toContain('could not be reached'));
    });

    it('does not render an answer that breaks the contract', async () => {
      answerFetch(jsonResponse({ synced: true, objectId: '123', stage: 'appointment' }));
      const { find, maybeFind, waitFor } = renderCard();

      await waitFor(() => expect(find(ErrorState).find(Text).text).toContain('does not understand'));
      expect(maybeFind(StepIndicator)).toBeNull();
    });
  });

  describe('when the engine has not evaluated the contact yet', () => {
    it('says so instead of showing an empty lifecycle', async () => {
      answerFetch(jsonResponse({ synced: false, objectId: '123' }));
      const { find, maybeFind, waitFor } = renderCard();

      await waitFor(() => expect(find(EmptyState).props.title).toBe('Not evaluated yet'));
      expect(maybeFind(StepIndicator)).toBeNull();
    });
  });

  describe('for a contact on the path', () => {
    it('marks the current stage on the path and says since when, in the portal time zone', async () => {
      answerFetch(jsonResponse(contactAtAppointment()));
      const renderer = renderCard();
      await loaded(renderer);

      expect(renderer.find(StepIndicator).props.stepNames).toEqual(['Lead acquired', 'Nurturing', 'MQL', 'Appointment', 'Opportunity', 'Customer', 'Expand']);
      expect(renderer.find(StepIndicator).props.currentStep).toBe(3);
      expect(renderer.find(Text, { variant: 'microcopy' }).text).toBe('since Mar 1, 2026');
    });

    it('compares the time in stage with the SLA and flags a breach', async () => {
      answerFetch(jsonResponse(contactAtAppointment()));
      const renderer = renderCard();
      await loaded(renderer);

      expect(renderer.find(ProgressBar).props).toMatchObject({
        value: 30,
        maxValue: 30,
        variant: 'danger',
        valueDescription: '40 days of 30 days SLA',
      });
      expect(renderer.find(StatusTag).text).toBe('SLA breached');
    });

    it('says when a stage has no SLA instead of drawing a bar', async () => {
      answerFetch(jsonResponse(contactAtAppointment({ timeInStage: { days: 1, sla: null } })));
      const renderer = renderCard();
      await loaded(renderer);

      expect(renderer.maybeFind(ProgressBar)).toBeNull();
      expect(renderer.findByTestId(Text, 'time-in-stage').text).toBe('In stage for 1 day (no SLA for this stage).');
    });

    it('lists the transitions with their reasons and the stages a Fastpass skipped', async () => {
      answerFetch(jsonResponse(contactAtAppointment()));
      const renderer = renderCard();
      await loaded(renderer);

      expect(tableRows(renderer.findByTestId(Table, 'transition-history'))).toEqual([
        ['Mar 1, 2026, 10:00 AM', 'Nurturing → Appointment', 'Fastpass', 'A target account attended our event (skipped MQL)'],
        ['Feb 10, 2026, 4:30 AM', 'Start → Nurturing', 'Entered', 'Contact information obtained'],
      ]);
    });
  });

  describe('for a recycled contact', () => {
    it('shows the detour off the path with its reason, count and marketing pause', async () => {
      answerFetch(jsonResponse(contactRecycled()));
      const renderer = renderCard();
      await loaded(renderer);

      expect(renderer.find(StepIndicator).props.currentStep).toBeUndefined();
      expect(renderer.find(Tag, { variant: 'warning' }).text).toBe('Off the path');
      const details = renderer
        .findByTestId(DescriptionList, 'recycle-state')
        .findAll(DescriptionListItem)
        .map((item) => [item.props.label, item.find(Text).text]);
      expect(details).toEqual([
        ['Recycle reason', 'Pausing evaluation for now'],
        ['Times recycled', '2'],
        ['Marketing email paused until', 'May 10, 2026'],
        ['Pause left', '12 days'],
      ]);
    });

    it('offers only the actions the model still allows', async () => {
      answerFetch(jsonResponse(contactRecycled()));
      const renderer = renderCard();
      await loaded(renderer);

      expect(renderer.findAll(LoadingButton).map((button) => button.text)).toEqual(['Mark dead end']);
    });
  });

  describe('for a dead-ended contact', () => {
    it('shows the dead-end reason', async () => {
      answerFetch(jsonResponse(contactAtAppointment({ deadEndReason: { code: 'student', label: 'Student' } })));
      const renderer = renderCard();
      await loaded(renderer);

      expect(renderer.find(Alert, { title: 'Dead end' }).text).toBe('Student. This record is outside nurture and is never recycled.');
    });
  });

  describe('actions', () => {
    it('keeps an action disabled until its reason is chosen', async () => {
      answerFetch(jsonResponse(contactAtAppointment()));
      const renderer = renderCard();
      await loaded(renderer);

      expect(renderer.findByTestId(LoadingButton, 'recycle').props.disabled).toBe(true);
      choose(renderer, 'recycle-reason', 'bad_timing');
      expect(renderer.findByTestId(LoadingButton, 'recycle').props.disabled).toBe(false);
    });

    it('recycles with the chosen reason and shows the view the backend sends back', async () => {
      const applied: ContactActionResult = { outcome: 'applied', message: 'Recycled: Pausing evaluation for now', view: contactRecycled() };
      const fetch = answerFetch(jsonResponse(contactAtAppointment()), jsonResponse(applied));
      const renderer = renderCard();
      await loaded(renderer);

      choose(renderer, 'recycle-reason', 'bad_timing');
      renderer.findByTestId(LoadingButton, 'recycle').trigger('onClick');

      await renderer.waitFor(() => expect(renderer.find(Alert, { title: 'Done' }).text).toBe('Recycled: Pausing evaluation for now'));
      expect(fetch).toHaveBeenLastCalledWith(ACTION_URL('recycle'), { method: 'POST', timeout: 5000, body: { reason: 'bad_timing' } });
      expect(renderer.find(Tag, { variant: 'warning' }).text).toBe('Off the path');
    });

    it('sends a fastpass with its target stage', async () => {
      const applied: ContactActionResult = { outcome: 'applied', message: 'Fastpassed to Opportunity', view: contactAtAppointment() };
      const fetch = answerFetch(jsonResponse(contactAtAppointment()), jsonResponse(applied));
      const renderer = renderCard();
      await loaded(renderer);

      choose(renderer, 'fastpass-target', 'opportunity');
      renderer.findByTestId(LoadingButton, 'fastpass').trigger('onClick');

      await renderer.waitFor(() => expect(renderer.find(Alert, { title: 'Done' })).toBeDefined());
      expect(fetch).toHaveBeenLastCalledWith(ACTION_URL('fastpass'), { method: 'POST', timeout: 5000, body: { to: 'opportunity' } });
    });

    it('shows a spinner on the button while the action runs and blocks the other actions', async () => {
      const pending = deferredResponse();
      answerFetch(jsonResponse(contactAtAppointment()));
      const renderer = renderCard();
      await loaded(renderer);
      jest.spyOn(hubspot, 'fetch').mockReturnValue(pending.promise);

      choose(renderer, 'dead-end-reason', 'student');
      renderer.findByTestId(LoadingButton, 'dead-end').trigger('onClick');
      renderer.findByTestId(Button, 'confirm-dead-end').trigger('onClick');

      await renderer.waitFor(() => expect(renderer.findByTestId(LoadingButton, 'dead-end').props.loading).toBe(true));
      expect(renderer.findByTestId(LoadingButton, 'fastpass').props.disabled).toBe(true);
    });

    it('asks for a confirmation before the terminal "Mark dead end", and sends it only once confirmed', async () => {
      const applied: ContactActionResult = { outcome: 'applied', message: 'Moved to Dead end from Appointment.', view: contactAtAppointment() };
      const fetch = answerFetch(jsonResponse(contactAtAppointment()), jsonResponse(applied));
      const renderer = renderCard();
      await loaded(renderer);

      choose(renderer, 'dead-end-reason', 'student');
      renderer.findByTestId(LoadingButton, 'dead-end').trigger('onClick');

      expect(renderer.findAll(Text).map((t) => t.text)).toContain('Mark this contact a dead end (Student)?');
      expect(renderer.findByTestId(LoadingButton, 'dead-end').props.disabled).toBe(true);
      expect(fetch).toHaveBeenCalledTimes(1);

      renderer.findByTestId(Button, 'confirm-dead-end').trigger('onClick');
      await renderer.waitFor(() => expect(renderer.find(Alert, { title: 'Done' }).text).toBe('Moved to Dead end from Appointment.'));
      expect(fetch).toHaveBeenLastCalledWith(ACTION_URL('dead-end'), { method: 'POST', timeout: 5000, body: { reason: 'student' } });
      expect(renderer.maybeFindByTestId(Button, 'confirm-dead-end')).toBeNull();
    });

    it('sends nothing when the dead-end confirmation is cancelled', async () => {
      const fetch = answerFetch(jsonResponse(contactAtAppointment()));
      const renderer = renderCard();
      await loaded(renderer);

      choose(renderer, 'dead-end-reason', 'student');
      renderer.findByTestId(LoadingButton, 'dead-end').trigger('onClick');
      renderer.findByTestId(Button, 'cancel-dead-end').trigger('onClick');

      expect(renderer.maybeFindByTestId(Button, 'confirm-dead-end')).toBeNull();
      expect(renderer.findByTestId(LoadingButton, 'dead-end').props.disabled).toBe(false);
      expect(fetch).toHaveBeenCalledTimes(1);
    });

    it('explains a refusal from the model and keeps the record as it is', async () => {
      const refused: ContactActionResult = {
        outcome: 'refused',
        refusal: 'Appointment is a customer stage: customers churn, they are not recycled.',
        view: contactAtAppointment(),
      };
      answerFetch(jsonResponse(contactAtAppointment()), jsonResponse(refused));
      const renderer = renderCard();
      await loaded(renderer);

      choose(renderer, 'recycle-reason', 'stalled');
      renderer.findByTestId(LoadingButton, 'recycle').trigger('onClick');

      await renderer.waitFor(() => expect(renderer.find(Alert, { title: 'Not allowed' }).text).toBe(refused.refusal));
      expect(renderer.find(StepIndicator).props.currentStep).toBe(3);
    });

    it('reports a failed action without losing the view', async () => {
      answerFetch(jsonResponse(contactAtAppointment()), jsonResponse({ message: 'down' }, 503));
      const renderer = renderCard();
      await loaded(renderer);

      choose(renderer, 'recycle-reason', 'stalled');
      renderer.findByTestId(LoadingButton, 'recycle').trigger('onClick');

      await renderer.waitFor(() => expect(renderer.find(Alert, { title: 'The action did not go through' }).text).toContain('HTTP 503'));
      expect(renderer.find(StepIndicator).props.currentStep).toBe(3);
    });
  });
});
