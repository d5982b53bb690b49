import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { defaultModelDocument, parseModel } from '../../core';

export function registerModelCommands(program: Command): void {
  const model = program.command('model').description('Inspect and validate lifecycle model files');

  model
    .command('validate')
    .argument('<file>', 'a lifecycle model JSON file')
    .description('Check a model file; exit 0 when valid, 1 with every error listed')
    .action((file: string) => {
      const errors = validateModelFile(file);
      if (errors.length === 0) {
        console.log(`${file}: valid lifecycle model`);
        return;
      }
      console.error(`${file}: ${errors.length} error${errors.length === 1 ? '' : 's'}`);
      for (const error of errors) console.error(`  ${error}`);
      process.exitCode = 1;
    });

  model
    .command('show-default')
    .description('Print the default model (a starting point for your own file)')
    .action(() => console.log(JSON.stringify(defaultModelDocument, null, 2)));
}

function validateModelFile(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return [`cannot read file: ${(error as Error).message}`];
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return [`not valid JSON: ${(error as Error).message}`];
  }
  const result = parseModel(json);
  return result.ok ? [] : result.errors;
}
