import { z } from 'zod';

/** What an app's `workflow-action` hsmeta declares (docs/hubspot-platform.md §4.1); the rest is kept as given. */
export const ActionDefinitionInput = z.looseObject({
  actionUrl: z.url(),
  objectTypes: z.array(z.string()).min(1),
  inputFields: z.array(z.unknown()).default([]),
  outputFields: z.array(z.unknown()).default([]),
  labels: z.record(z.string(), z.unknown()).default({}),
  isPublished: z.boolean().default(true),
});
export type ActionDefinitionInput = z.input<typeof ActionDefinitionInput>;

export interface ActionDefinition {
  id: string;
  revisionId: string;
  appId: number;
  config: z.output<typeof ActionDefinitionInput>;
}

/**
 * Custom workflow action definitions per app, as a project upload creates them in HubSpot. Workflows reference
 * one as `actionTypeId: "1-<definitionId>"` with `actionTypeVersion` its revision (public v4 flow payloads, e.g.
 * a marketplace action at "1-67" version 11; UNVERIFIED in HubSpot's own pages, see docs/simulator.md).
 */
export class ActionDefinitionRegistry {
  private readonly definitions = new Map<string, ActionDefinition>();
  private nextId = 2_000_101;

  /** Replaces the app's definitions by actionUrl: same URL keeps its id and gets a new revision. */
  register(appId: number, inputs: ActionDefinitionInput[]): ActionDefinition[] {
    return inputs.map((input) => {
      const config = ActionDefinitionInput.parse(input);
      const existing = this.forApp(appId).find((d) => d.config.actionUrl === config.actionUrl);
      const definition: ActionDefinition = existing
        ? { ...existing, revisionId: String(Number(existing.revisionId) + 1), config }
        : { id: String(this.nextId++), revisionId: '1', appId, config };
      this.definitions.set(definition.id, definition);
      return definition;
    });
  }

  forApp(appId: number): ActionDefinition[] {
    return [...this.definitions.values()].filter((d) => d.appId === appId);
  }

  find(definitionId: string): ActionDefinition | undefined {
    return this.definitions.get(definitionId);
  }
}
