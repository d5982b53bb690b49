import type { Kysely } from 'kysely';
import type { Installation, InstallationPort, PortalId, SealedTokens } from '../../app/ports/store-ports';
import { PORTAL_ALERT_OBJECT } from './alert-repository';
import type { Database, InstallationsTable } from './schema';

const NO_TOKENS = {
  access_token_sealed: null,
  access_token_issued_at: null,
  access_token_expires_at: null,
  refresh_token_sealed: null,
  encryption_key_id: null,
} as const;

/** OAuth installs, one row per portal. Tokens arrive sealed; this repository never sees a plaintext token. */
export class InstallationRepository implements InstallationPort {
  constructor(private readonly db: Kysely<Database>) {}

  async get(portalId: PortalId): Promise<Installation | null> {
    const row = await this.db.selectFrom('installations').selectAll().where('portal_id', '=', portalId).executeTakeFirst();
    return row === undefined ? null : toInstallation(row);
  }

  async saveInstalled(portalId: PortalId, install: { hubDomain: string | null; scopes: string[]; tokens: SealedTokens }, now: number): Promise<void> {
    const values = {
      status: 'active' as const,
      status_reason: null,
      hub_domain: install.hubDomain,
      scopes: JSON.stringify(install.scopes),
      ...tokenColumns(install.tokens),
      installed_at: now,
      updated_at: now,
      uninstalled_at: null,
    };
    await this.db
      .insertInto('installations')
      .values({ portal_id: portalId, ...values })
      .onConflict((conflict) => conflict.column('portal_id').doUpdateSet(values))
      .execute();
  }

  async saveRefreshedTokens(portalId: PortalId, tokens: SealedTokens, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('installations')
      .set({ ...tokenColumns(tokens), updated_at: now })
      .where('portal_id', '=', portalId)
      // An uninstall that won the race must not be undone by a refresh finishing after it.
      .where('status', '=', 'active')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async markRevoked(portalId: PortalId, reason: string, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('installations')
        .set({ status: 'revoked', status_reason: reason, ...NO_TOKENS, updated_at: now })
        .where('portal_id', '=', portalId)
        .where('status', '=', 'active')
        .executeTakeFirst();
      // One alert per revocation, however many jobs noticed it.
      if (Number(result.numUpdatedRows) === 0) return;
      await trx
        .insertInto('alerts')
        .values({ portal_id: portalId, object_type: PORTAL_ALERT_OBJECT, object_id: String(portalId), kind: 'auth', message: reason, created_at: now })
        .execute();
    });
  }

  async markUninstalled(portalId: PortalId, now: number): Promise<void> {
    await this.db
      .updateTable('installations')
      .set({ status: 'uninstalled', status_reason: null, ...NO_TOKENS, updated_at: now, uninstalled_at: now })
      .where('portal_id', '=', portalId)
      .execute();
  }

  async authAlerts(portalId: PortalId): Promise<Array<{ message: string; createdAt: number }>> {
    const rows = await this.db
      .selectFrom('alerts')
      .select(['message', 'created_at'])
      .where('portal_id', '=', portalId)
      .where('object_type', '=', PORTAL_ALERT_OBJECT)
      .where('kind', '=', 'auth')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map((row) => ({ message: row.message, createdAt: Number(row.created_at) }));
  }

  async activePortals(): Promise<PortalId[]> {
    const rows = await this.db.selectFrom('installations').select('portal_id').where('status', '=', 'active').orderBy('portal_id').execute();
    return rows.map((row) => Number(row.portal_id));
  }
}

function tokenColumns(tokens: SealedTokens) {
  return {
    access_token_sealed: tokens.accessTokenSealed,
    access_token_issued_at: tokens.accessTokenIssuedAt,
    access_token_expires_at: tokens.accessTokenExpiresAt,
    refresh_token_sealed: tokens.refreshTokenSealed,
    encryption_key_id: tokens.encryptionKeyId,
  };
}

function toInstallation(row: InstallationsTable): Installation {
  const hasTokens =
    row.access_token_sealed !== null && row.refresh_token_sealed !== null && row.access_token_issued_at !== null && row.access_token_expires_at !== null && row.encryption_key_id !== null;
  return {
    portalId: Number(row.portal_id),
    status: row.status,
    statusReason: row.status_reason,
    hubDomain: row.hub_domain,
    scopes: JSON.parse(row.scopes) as string[],
    tokens: hasTokens
      ? {
          accessTokenSealed: row.access_token_sealed!,
          accessTokenIssuedAt: Number(row.access_token_issued_at),
          accessTokenExpiresAt: Number(row.access_token_expires_at),
          refreshTokenSealed: row.refresh_token_sealed!,
          encryptionKeyId: row.encryption_key_id!,
        }
      : null,
    installedAt: Number(row.installed_at),
    updatedAt: Number(row.updated_at),
    uninstalledAt: row.uninstalled_at === null ? null : Number(row.uninstalled_at),
  };
}
