/** Accounts (companies) as lifecycle records: their journey derived from their contacts' and deals' moves. Pure. */
export { companyJourney, companyRowsToAppend, companyStateAfter, type CompanyContact, type CompanyDeal, type CompanyJourneyInput } from './company-journey';
export { lostDealReturns, type AccountFact, type LostDealReturn } from './account-reengagement';
