import { Button, hubspot, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { useState } from 'react';
import { z } from 'zod';
import { useCardData } from '../shared/useCardData.ts';
import { afterEffects, PATIENCE, deferredResponse, jsonResponse } from './fixtures.ts';

const RecordSchema = z.strictObject({ name: z.string() });

/** A card that can switch records while a request is in flight, as HubSpot does when the user navigates. */
function SwitchingCard() {
  const [path, setPath] = useState('/records/a');
  const { state } = useCardData(path, RecordSchema);
  return (
    <>
      <Button testId="switch" onClick={() => setPath('/records/b')}>
        Switch
      </Button>
      <Text testId="state">{state.status === 'success' ? state.data.name : state.status}</Text>
    </>
  );
}

afterEach(() => jest.restoreAllMocks());

describe('useCardData', () => {
  it('ignores an answer that arrives after a newer request was made', async () => {
    const first = deferredResponse();
    const second = deferredResponse();
    jest.spyOn(hubspot, 'fetch').mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const renderer = createRenderer('crm.record.tab');
    renderer.render(<SwitchingCard />);
    await afterEffects();

    renderer.findByTestId(Button, 'switch').trigger('onClick');
    await afterEffects();
    second.resolve(jsonResponse({ name: 'Record B' }));
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'state').text).toBe('Record B'), PATIENCE);
    first.resolve(jsonResponse({ name: 'Record A' }));
    await afterEffects();

    expect(renderer.findByTestId(Text, 'state').text).toBe('Record B');
  });
});
