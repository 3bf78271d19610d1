/** Two projects: fast unit specs beside the code, and end-to-end tests over HTTP. */
const moduleNameMapper = {
  '^@positions/(domain|event-store|projections|application|testing)$': '<rootDir>/libs/$1/src',
  '^@positions/event-store/(sqlite|kurrentdb|postgres)$': '<rootDir>/libs/event-store/src/$1',
  '^@positions/application/read$': '<rootDir>/libs/application/src/read',
  '^@positions/application/statement-shape$': '<rootDir>/libs/application/src/statement-shape',
};
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
};
const common = { rootDir: __dirname, testEnvironment: 'node', moduleNameMapper, transform, moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
