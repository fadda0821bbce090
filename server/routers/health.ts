import { publicProcedure } from '../trpc.js';

export const healthProcedure = publicProcedure.query(({ ctx }) => ({ ok: true as const, version: ctx.version }));
