import type { Config } from 'jest';

const ESM_ONLY_REQUIRED = ['content-disposition', 'cookie'];

// ESM all the way: got@14 and msw's dependencies are ESM-only (see notes/ENVIRONMENT.md).
const config: Config = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    // These are ESM-only but require()d by CommonJS packages (Bull Board's @fastify/static, Fastify's
    // light-my-request); Node 20.19 allows that, Jest's module runtime does not: Jest gets CommonJS copies.
    [`node_modules/(${ESM_ONLY_REQUIRED.join('|')})/.+\\.js$`]: ['@swc/jest', { module: { type: 'commonjs' } }],
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  moduleNameMapper: {
    '^@rhx/(.*)$': '<rootDir>/libs/$1/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transformIgnorePatterns: [`^(?!.*/node_modules/(${ESM_ONLY_REQUIRED.join('|')})/).*/node_modules/`],
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.test.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 30_000,
  maxWorkers: 2,
};

export default config;
