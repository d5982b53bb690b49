import { hubspot } from '@hubspot/ui-extensions';
import { SettingsPage } from './SettingsPage.tsx';

hubspot.extend<'settings'>(({ context, actions }) => <SettingsPage context={context} actions={actions} />);
