/** The pure core: lifecycle model, engine and ledger math. No I/O, no clock reads, no HubSpot types. */
export * from './model';
export * from './engine';
export * from './ledger';
export * from './health';
export * from './accounts';
