// Unit tests of the extension's TypeScript that touches no JupyterLab module (src/model.ts); what
// needs JupyterLab itself is tested in a browser (ui-tests/lab-browser-test.mjs).
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] }
};
