export * from './facts';
export * from './state';
export * from './decision';
export * from './time';
export { evaluate, applyStep, transitionId, MAX_STEPS_PER_DECISION } from './evaluate';
export { decideCommand, CommandSchema, type Command } from './commands';
export { isCustomerStage, mayDeadEnd, mayFastpassTo, mayRecycle, recycleRefusal, deadEndRefusal, fastpassRefusal, reopenRefusal } from './command-guards';
export { LC_PROPERTIES, lcProperties } from './lc-properties';
export { satisfaction, propertyMatches, eventMatches, type Satisfaction } from './criteria';
