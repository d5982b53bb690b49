import type { PortalId } from '../ports/store-ports';
import type { ReportingLedger } from './reporting-deps';

export class PortalChoiceError extends Error {
  override readonly name = 'PortalChoiceError';
}

/** The portals with ledger rows, or null when the store cannot list them. */
export async function listReportablePortals(ledger: ReportingLedger): Promise<PortalId[] | null> {
  return ledger.portals ? [...(await ledger.portals())].sort((a, b) => a - b) : null;
}

/**
 * The portal a report is about: the one asked for, else the only portal in the ledger. Guessing among several
 * would show one customer's numbers as another's, so that is an error that lists them.
 *
 * @throws PortalChoiceError when no portal was named and there is not exactly one to default to.
 */
export async function choosePortal(requested: string | undefined, ledger: ReportingLedger): Promise<string> {
  if (requested !== undefined) return requested;
  const portals = await listReportablePortals(ledger);
  if (portals === null) throw new PortalChoiceError('name a portal: this store cannot list the portals in its ledger');
  if (portals.length === 1) return String(portals[0]);
  if (portals.length === 0) throw new PortalChoiceError('the ledger is empty: no portal to report on');
  throw new PortalChoiceError(`the ledger holds several portals (${portals.join(', ')}): name one`);
}
