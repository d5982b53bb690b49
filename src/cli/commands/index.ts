import type { Command } from 'commander';
import { registerModelCommands } from './model-command';
import { registerBenchCommand } from './bench-command';
import { registerDeadLetterCommands } from './dead-letters-command';
import { registerSimulatorCommand } from './simulator-command';
import { registerAppCommands } from './app-command';
import { registerReportCommand } from './report-command';
import { registerServeCommand } from './serve-command';
import { registerProvisionCommand } from './provision-command';
import { registerDemoCommand } from './demo-command';
import { registerStartCommand } from './start-command';
import { registerBackfillCommand } from './backfill-command';
import { registerReconcileCommand } from './reconcile-command';
import { registerReplayCommand } from './replay-command';
import { registerWorkflowsCommand } from './workflows-command';
import { registerAggregatesCommands } from './aggregates-command';

/** One line per command group; each group lives in its own file. */
export function registerCommands(program: Command): void {
  registerModelCommands(program);
  registerBenchCommand(program);
  registerDeadLetterCommands(program);
  registerSimulatorCommand(program);
  registerAppCommands(program);
  registerReportCommand(program);
  registerServeCommand(program);
  registerProvisionCommand(program);
  registerDemoCommand(program);
  registerStartCommand(program);
  registerBackfillCommand(program);
  registerReconcileCommand(program);
  registerReplayCommand(program);
  registerWorkflowsCommand(program);
  registerAggregatesCommands(program);
}
