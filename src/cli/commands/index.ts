import type { Command } from 'commander';
import { registerModelCommands } from './model-command';
import { registerBenchCommand } from './bench-command';
import { registerSimulatorCommand } from './simulator-command';
import { registerAppCommands } from './app-command';

/** One line per command group; each group lives in its own file. */
export function registerCommands(program: Command): void {
  registerModelCommands(program);
  registerBenchCommand(program);
  registerSimulatorCommand(program);
  registerAppCommands(program);
}
