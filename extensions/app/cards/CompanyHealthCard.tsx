import { hubspot } from '@hubspot/ui-extensions';
import { CompanyHealth } from './company/CompanyHealth.tsx';

hubspot.extend<'crm.record.tab'>(({ context }) => <CompanyHealth context={context} />);
