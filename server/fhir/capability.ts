import { VERSION } from '../config.js';

type Interaction = fhir4.CapabilityStatementRestResourceInteraction['code'];
type SearchParam = Pick<fhir4.CapabilityStatementRestResourceSearchParam, 'name' | 'type' | 'documentation'>;

export interface SupportedResource {
  type: string;
  interactions: readonly Interaction[];
  searchParams: readonly SearchParam[];
  operations?: readonly fhir4.CapabilityStatementRestResourceOperation[];
}

const COUNT: SearchParam = { name: '_count', type: 'number', documentation: 'Page size' };
const CURSOR: SearchParam = { name: '_cursor', type: 'string', documentation: 'Opaque page position: the next links carry it' };
const OFFSET: SearchParam = { name: '_offset', type: 'number', documentation: 'Entries to skip: the next links carry it' };

/**
 * What this server answers, one row per resource type: the CapabilityStatement is built from it,
 * so whoever adds an interaction adds it here and /metadata stays true.
 */
export const SUPPORTED: readonly SupportedResource[] = [
  {
    type: 'Questionnaire',
    interactions: ['read', 'search-type'],
    searchParams: [
      { name: 'url', type: 'uri', documentation: 'Canonical URL, exact match' },
      { name: 'code', type: 'token', documentation: 'Questionnaire.code or any item code (`system|code`, `code`, `system|`)' },
      { name: 'status', type: 'token' },
      COUNT,
      OFFSET,
    ],
  },
  {
    type: 'CodeSystem',
    interactions: ['read', 'search-type'],
    searchParams: [{ name: 'url', type: 'uri', documentation: 'Canonical URL, exact match' }, COUNT, OFFSET],
  },
  {
    type: 'QuestionnaireResponse',
    interactions: ['read', 'search-type', 'create'],
    searchParams: [
      { name: 'patient', type: 'reference' },
      { name: 'subject', type: 'reference' },
      { name: 'authored', type: 'date' },
      { name: 'questionnaire', type: 'reference' },
      COUNT,
      { name: '_sort', type: 'string', documentation: '`-authored` (newest first, the default and only order)' },
      CURSOR,
    ],
  },
  {
    type: 'Observation',
    interactions: ['read', 'search-type'],
    searchParams: [
      { name: 'patient', type: 'reference' },
      { name: 'subject', type: 'reference' },
      { name: 'code', type: 'token' },
      { name: 'date', type: 'date' },
      { name: 'category', type: 'token', documentation: '`survey`' },
      COUNT,
      { name: '_sort', type: 'string', documentation: '`-date` (newest first, the default and only order)' },
      CURSOR,
    ],
  },
  {
    type: 'Patient',
    interactions: ['read'],
    searchParams: [],
    operations: [{ name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' }],
  },
  {
    // Only the clinic itself, as Group/<clinic id>: the Bulk Data system export of its people.
    type: 'Group',
    interactions: [],
    searchParams: [],
    operations: [{ name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export' }],
  },
];

const SMART_SECURITY_SERVICE = 'http://terminology.hl7.org/CodeSystem/restful-security-service';
const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';
/** When this process started: the statement describes this running server. */
const STARTED = new Date().toISOString();

/** The CapabilityStatement at `<baseUrl>/metadata`; `baseUrl` is this server's FHIR base (…/fhir/R4). */
export function capabilityStatement(baseUrl: string): fhir4.CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: STARTED,
    publisher: 'care widgets',
    kind: 'instance',
    software: { name: 'care widgets', version: VERSION },
    implementation: { description: 'care widgets FHIR R4 API', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        security: {
          extension: [{ url: OAUTH_URIS, extension: [{ url: 'token', valueUri: `${baseUrl}/auth/token` }] }],
          service: [{ coding: [{ system: SMART_SECURITY_SERVICE, code: 'SMART-on-FHIR' }] }],
          description: "Bearer tokens: the clinic's sign-in tokens, or SMART Backend Services (client_credentials) tokens from the token URL",
        },
        resource: SUPPORTED.map((r) => ({
          type: r.type,
          interaction: r.interactions.map((code) => ({ code })),
          ...(r.searchParams.length ? { searchParam: r.searchParams.map((p) => ({ ...p })) } : {}),
          ...(r.operations?.length ? { operation: r.operations.map((o) => ({ ...o })) } : {}),
        })),
      },
    ],
  };
}
