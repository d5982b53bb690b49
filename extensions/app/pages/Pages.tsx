import { hubspot } from '@hubspot/ui-extensions';
import { LifecyclePages } from './LifecyclePages.tsx';

hubspot.extend<'pages'>(() => <LifecyclePages />);
