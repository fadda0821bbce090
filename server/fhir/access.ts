import type { Principal } from '../auth/principal.js';

/**
 * What a FHIR caller may do, whichever way it signed in: a clinic's care token (a person) or a SMART
 * Backend Services access token (a system client of the clinic). Every FHIR interaction checks it
 * with `permits` before it touches data; whose data a person may read is still decided by
 * auth/subject.ts, as for tRPC.
 */
export type FhirInteraction = 'read' | 'search' | 'create';

export interface SmartScope {
  context: 'patient' | 'user' | 'system';
  /** A resource type, or '*' for all. */
  resourceType: string;
  interactions: ReadonlySet<FhirInteraction>;
}

export interface FhirAccess {
  /** Scopes and audit rows use this principal: for a system client `userId` is `system:<client id>`. */
  principal: Principal;
  scopes: readonly SmartScope[];
  /** Set for SMART Backend Services clients. */
  systemClientId?: string;
}

const V1_ACTIONS: Record<string, FhirInteraction[]> = { read: ['read', 'search'], write: ['create'], '*': ['read', 'search', 'create'] };
const V2_LETTERS: Record<string, FhirInteraction | undefined> = { c: 'create', r: 'read', s: 'search', u: undefined, d: undefined };

/**
 * SMART v1 (`system/Observation.read`) and v2 (`system/Observation.rs`) resource scopes; anything else
 * in the string (`openid`, `launch`, `fhirUser`, unknown forms) grants nothing and is skipped.
 */
export function parseSmartScopes(scope: string): SmartScope[] {
  const scopes: SmartScope[] = [];
  for (const word of scope.split(/\s+/).filter(Boolean)) {
    const match = /^(patient|user|system)\/([A-Za-z]+|\*)\.([a-z*]+)(\?.*)?$/.exec(word);
    if (!match) continue;
    const [, context, resourceType, actions] = match as unknown as [string, SmartScope['context'], string, string];
    const v1 = V1_ACTIONS[actions];
    let interactions: FhirInteraction[] | undefined = v1;
    if (!interactions) {
      if (!/^c?r?u?d?s?$/.test(actions)) continue;
      interactions = [...actions].map((letter) => V2_LETTERS[letter]).filter((i): i is FhirInteraction => i !== undefined);
    }
    scopes.push({ context, resourceType, interactions: new Set(interactions) });
  }
  return scopes;
}

export const formatScope = (scope: SmartScope): string => {
  const letters = (['create', 'read', 'search'] as const).filter((i) => scope.interactions.has(i)).map((i) => i[0]).join('');
  return `${scope.context}/${scope.resourceType}.${letters}`;
};

/** Whether any granted scope allows `interaction` on `resourceType`. */
export const permits = (access: FhirAccess, resourceType: string, interaction: FhirInteraction): boolean =>
  access.scopes.some((s) => (s.resourceType === '*' || s.resourceType === resourceType) && s.interactions.has(interaction));
