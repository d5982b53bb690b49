import { hubspot } from '@hubspot/ui-extensions';
import { ContactLifecycle } from './contact/ContactLifecycle.tsx';

hubspot.extend<'crm.record.tab'>(({ context }) => <ContactLifecycle context={context} />);
