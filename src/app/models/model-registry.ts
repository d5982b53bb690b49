import type { Logger } from 'pino';
import { validateModel, type CompiledModel } from '../../core';
import type { ModelRevision, ModelRevisionPort } from '../ports/model-revision-port';
import type { PortalId } from '../ports/store-ports';

export interface ModelRegistryDeps {
  revisions: ModelRevisionPort;
  /** The model file or the shipped default, as written: a portal's revision 1. */
  seedDocument: unknown;
  /** What a portal runs until its published revision is loaded (the configured model, fitted at startup). */
  fallback: (portalId: PortalId) => CompiledModel;
  /** Fits a compiled revision to the portal (its own lifecycle stages, R18); default: as compiled. */
  fit?: (portalId: PortalId, model: CompiledModel) => Promise<CompiledModel>;
  /**
   * Readies the portal for a revision about to run (our HubSpot properties and their options, so the first write of
   * a new stage or reason never meets an unknown option); not called for a preview, which writes nothing.
   */
  prepare?: (portalId: PortalId, model: CompiledModel) => Promise<void>;
  logger: Logger;
  now: () => number;
}

/**
 * Which model each portal runs: its published revision (migration 0009), compiled once per revision and cached, so
 * the engine, cards and reports keep asking `modelFor(portalId)` synchronously. `refresh` reads the published
 * revision numbers of the given portals (one indexed query) and recompiles only the ones that changed; the worker
 * calls it every round, so a revision published through another backend process applies within a round, and the
 * settings route calls it right after publishing, so this process applies it from that instant.
 */
export class ModelRegistry {
  private readonly cache = new Map<PortalId, CompiledModel>();

  constructor(private readonly deps: ModelRegistryDeps) {}

  /** The portal's published model, with its `revision`; the fallback (no revision) until the portal is loaded. */
  current(portalId: PortalId): CompiledModel {
    return this.cache.get(portalId) ?? this.deps.fallback(portalId);
  }

  /** `current` as the `(portalId) => CompiledModel` factory the use cases take. */
  readonly modelFor = (portalId: PortalId): CompiledModel => this.current(portalId);

  /** Seeds portals that have no revision yet (revision 1 = the seed document), then loads what changed. */
  async refresh(portalIds: readonly PortalId[]): Promise<void> {
    const published = await this.deps.revisions.publishedRevisions(portalIds);
    for (const portalId of portalIds) {
      const revision = published.get(portalId);
      if (revision === undefined) {
        await this.deps.revisions.seed(portalId, this.deps.seedDocument, 'seeded from the model file (or the default model)', this.deps.now());
      } else if (this.cache.get(portalId)?.revision === revision) continue;
      const stored = await this.deps.revisions.published(portalId);
      if (stored) await this.load(portalId, stored);
    }
  }

  /** A compiled model fitted to the portal as a published revision would be (the preview of a draft). */
  async fit(portalId: PortalId, model: CompiledModel): Promise<CompiledModel> {
    return this.deps.fit ? this.deps.fit(portalId, model) : model;
  }

  /** Compiles and fits a stored revision and makes it the portal's current model (also used right after publish). */
  async load(portalId: PortalId, stored: ModelRevision): Promise<CompiledModel> {
    const validated = validateModel(stored.document);
    if (!validated.ok) {
      // Saved revisions were validated; only a later schema change gets here. Keep what runs rather than stop.
      this.deps.logger.error({ portalId, revision: stored.revision, issues: validated.issues }, 'a stored model revision no longer validates; the portal keeps its current model');
      return this.current(portalId);
    }
    const fitted = await this.fit(portalId, validated.model);
    await this.deps.prepare?.(portalId, fitted);
    const model: CompiledModel = { ...fitted, revision: stored.revision };
    this.cache.set(portalId, model);
    return model;
  }
}
