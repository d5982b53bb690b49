import { hubspot } from '@hubspot/ui-extensions';
import { DealImpactSummary } from './deal/DealImpactSummary.tsx';

hubspot.extend<'crm.record.sidebar'>(({ context }) => <DealImpactSummary context={context} />);
