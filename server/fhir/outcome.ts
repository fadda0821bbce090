/**
 * FHIR errors: every refusal is an OperationOutcome with the status FHIR prescribes. Route code
 * throws FhirError; the FHIR router's error handler turns it (and anything unexpected, as 500 with
 * no detail) into the answer.
 */
export type IssueCode = fhir4.OperationOutcomeIssue['code'];

export class FhirError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 406 | 409 | 410 | 412 | 413 | 415 | 422 | 429 | 500,
    readonly issueCode: IssueCode,
    message: string,
    /** The element at fault, as a FHIRPath expression (`QuestionnaireResponse.item`, a search parameter name, a linkId). */
    readonly expression?: string,
  ) {
    super(message);
  }
}

export function operationOutcome(severity: fhir4.OperationOutcomeIssue['severity'], code: IssueCode, diagnostics: string, expression?: string): fhir4.OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity, code, diagnostics, ...(expression ? { expression: [expression] } : {}) }],
  };
}

export const outcomeOf = (error: FhirError): fhir4.OperationOutcome =>
  operationOutcome(error.status >= 500 ? 'fatal' : 'error', error.issueCode, error.message, error.expression);

export const notFound = (what: string) => new FhirError(404, 'not-found', `${what} is not known`);
export const invalidParam = (name: string, why: string) => new FhirError(400, 'invalid', `Search parameter ${name}: ${why}`, name);
export const forbidden = (why: string) => new FhirError(403, 'forbidden', why);
