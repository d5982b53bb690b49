import { hubspot } from '@hubspot/ui-extensions';
import { CompanyHealthSummary } from './company/CompanyHealthSummary.tsx';

hubspot.extend<'crm.record.sidebar'>(({ context }) => <CompanyHealthSummary context={context} />);
