import { backendOrigin, type AppConfig } from '../app-config';
import { REQUIRED_SCOPES } from '../required-scopes';
import type { AppHsmeta } from '../schemas/app-hsmeta';

const scopeLists = { requiredScopes: [...REQUIRED_SCOPES], optionalScopes: [], conditionallyRequiredScopes: [] };

export function appHsmeta(config: AppConfig): AppHsmeta {
  return {
    uid: config.uid,
    type: 'app',
    config: {
      name: config.name,
      description: config.description,
      distribution: config.distribution,
      auth:
        config.auth.type === 'static'
          ? { type: 'static', ...scopeLists }
          : { type: 'oauth', redirectUrls: config.auth.redirectUrls ?? [`${config.backendUrl}/oauth/callback`], ...scopeLists },
      // The cards may call our backend and nothing else.
      permittedUrls: { fetch: [backendOrigin(config)], iframe: [], img: [] },
      support: config.support,
    },
  };
}
