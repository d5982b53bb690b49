import { hubspot } from '@hubspot/ui-extensions';
import { ContactLifecycleSummary } from './contact/ContactLifecycleSummary.tsx';

hubspot.extend<'crm.record.sidebar'>(({ context }) => <ContactLifecycleSummary context={context} />);
