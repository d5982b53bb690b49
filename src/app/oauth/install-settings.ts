/** How this app asks HubSpot for an install: the app's identity, where HubSpot sends the admin back, and what it asks for. */
export interface InstallSettings {
  clientId: string;
  /** Must be listed in the app's auth.redirectUrls (app-hsmeta.json) and is sent again, identical, with the code. */
  redirectUri: string;
  /** https://app.hubspot.com/oauth/authorize (or the simulator's). */
  authorizeUrl: string;
  scopes: readonly string[];
  optionalScopes: readonly string[];
}
