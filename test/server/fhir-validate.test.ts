import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertValidFhir } from './fhir-validate.js';

test('the FHIR validator the FHIR tests rely on refuses what R4 refuses', () => {
  assert.doesNotThrow(() => assertValidFhir({ resourceType: 'Questionnaire', status: 'active' }));
  assert.throws(() => assertValidFhir({ resourceType: 'Questionnaire' }), /Questionnaire\.status/);
  assert.throws(() => assertValidFhir({ resourceType: 'Questionnaire', status: 'active', colour: 'red' }), /colour/);
  assert.throws(
    () => assertValidFhir({ resourceType: 'QuestionnaireResponse', status: 'completed', authored: '2026-13-01' }),
    /authored/,
  );
});
