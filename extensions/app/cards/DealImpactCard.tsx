import { hubspot } from '@hubspot/ui-extensions';
import { DealImpact } from './deal/DealImpact.tsx';

hubspot.extend<'crm.record.tab'>(({ context }) => <DealImpact context={context} />);
