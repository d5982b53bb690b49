/**
 * Two jest projects: the backend (ts-jest, CommonJS) and the HubSpot cards (babel-jest, because
 * @hubspot/ui-extensions is ESM-only and must be transformed; see docs/hubspot-app.md).
 * Run one with `npx jest --selectProjects cards`.
 */
const backend = {
  displayName: 'backend',
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }] },
  testTimeout: 30000,
};

/** The record cards and the app pages: both are HubSpot UI extensions tested with @hubspot/ui-extensions/testing. */
const cards = {
  displayName: 'cards',
  testEnvironment: 'node',
  roots: ['<rootDir>/extensions/app/cards', '<rootDir>/extensions/app/pages', '<rootDir>/extensions/app/settings'],
  testMatch: ['**/*.test.ts?(x)'],
  transform: {
    '^.+\\.[jt]sx?$': [
      'babel-jest',
      {
        // Inline so the backend keeps no babel config file; the cards' own bundler is HubSpot's.
        configFile: false,
        babelrc: false,
        presets: [['@babel/preset-env', { targets: { node: 'current' } }], ['@babel/preset-react', { runtime: 'automatic' }], '@babel/preset-typescript'],
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@hubspot/ui-extensions|tinyspy)/)'],
};

// testTimeout is a global option in jest 29 (unknown inside a project), so it is lifted out unchanged.
const { testTimeout, ...backendProject } = backend;

module.exports = { testTimeout, projects: [backendProject, cards] };
