import { fhirClientIdInput, registerFhirClientInput } from '../contract/index.js';
import { disableFhirClient, listFhirClients, registerFhirClient } from '../domain/fhir-clients.js';
import { adminProcedure, router } from '../trpc.js';

/** SMART Backend Services clients (EHRs, registries) of the admin's clinic: FHIR R4 /auth/token signs them in. */
export const fhirClientsRouter = router({
  register: adminProcedure
    .input(registerFhirClientInput)
    .mutation(({ ctx, input }) => registerFhirClient(ctx.db, { ...input, clinicId: ctx.principal.clinicId })),
  list: adminProcedure.query(({ ctx }) => listFhirClients(ctx.db, ctx.principal.clinicId)),
  disable: adminProcedure.input(fhirClientIdInput).mutation(({ ctx, input }) => disableFhirClient(ctx.db, ctx.principal.clinicId, input.clientId)),
});
