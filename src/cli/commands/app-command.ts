import type { Command } from 'commander';
import { findDrift, generateFromDisk, writeProject } from '../../app-project';

interface AppOptions {
  root: string;
  model?: string;
}

export function registerAppCommands(program: Command): void {
  const app = program.command('app').description('Generate and check the HubSpot project files (extensions/app) from app.json and the model');

  app
    .command('build')
    .description('Write the hsmeta files, the card and page contract copies and their backend URL')
    .option('--model <file>', "a portal's own lifecycle model file (default: the built-in model)")
    .option('--root <dir>', 'repository root holding app.json and hsproject.json', process.cwd())
    .action((options: AppOptions) => {
      const files = generateFromDisk({ root: options.root, modelFile: options.model });
      const { outdated, unexpected } = writeProject(options.root, files);
      console.log(`wrote ${files.length} files (${outdated.length} changed)`);
      for (const path of outdated) console.log(`  updated ${path}`);
      for (const path of unexpected) console.log(`  removed ${path}`);
    });

  app
    .command('check')
    .description('Exit 1, listing the files, when the generated files on disk are out of date')
    .option('--model <file>', "a portal's own lifecycle model file (default: the built-in model)")
    .option('--root <dir>', 'repository root holding app.json and hsproject.json', process.cwd())
    .action((options: AppOptions) => {
      const { outdated, unexpected } = findDrift(options.root, generateFromDisk({ root: options.root, modelFile: options.model }));
      if (outdated.length === 0 && unexpected.length === 0) {
        console.log('HubSpot project files are up to date');
        return;
      }
      for (const path of outdated) console.error(`out of date: ${path}`);
      for (const path of unexpected) console.error(`not generated (remove it or rebuild): ${path}`);
      console.error('run `lifecycle app build` and commit the result');
      process.exitCode = 1;
    });
}
