import { Command } from 'commander';
import { registerCommands } from './commands';

/** `lifecycle …`: every command of the product goes through here. */
function buildProgram(): Command {
  const program = new Command('lifecycle')
    .description('The lifecycle engine for HubSpot: stages, detours, ledger, reports and the HubSpot app backend.')
    .showHelpAfterError()
    .exitOverride((error) => {
      throw error;
    });
  registerCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode;
    if (code !== undefined) {
      process.exitCode = code;
      return;
    }
    throw error;
  }
}
