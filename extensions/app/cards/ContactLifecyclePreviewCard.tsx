import { hubspot } from '@hubspot/ui-extensions';
import { ContactLifecycleSummary } from './contact/ContactLifecycleSummary.tsx';

hubspot.extend<'crm.preview'>(({ context }) => <ContactLifecycleSummary context={context} />);
