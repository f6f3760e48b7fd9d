// Registers, schemas and their objects.
import { z } from 'zod';
import { listObjects } from '../../services/objects-list';
import * as objects from '../../services/objects';
import * as registers from '../../services/registers';
import { inferSchema } from '../../sync/core/infer-schema';
import { orgProcedure, router } from '../init';

const read = orgProcedure('registers.read');
const write = orgProcedure('registers.write');
const name = z.string().trim().min(1).max(100);
const description = z.string().max(2000).optional();
// The schema decides what an object holds (services/objects.ts checks it); here only that it is one.
const objectData = z.record(z.string(), z.unknown(), { error: 'The object must be a JSON object.' });

export const registersRouter = router({
  list: read.query(({ ctx }) => registers.listRegisters(ctx.db, ctx.org.orgId)),

  create: write
    .input(z.object({ name, description }))
    .mutation(({ ctx, input }) => registers.createRegister(ctx.db, ctx.org.orgId, input)),

  update: write
    .input(z.object({ registerId: z.string(), name: name.optional(), description }))
    .mutation(({ ctx, input }) => registers.updateRegister(ctx.db, ctx.org.orgId, input.registerId, input)),

  delete: write
    .input(z.object({ registerId: z.string() }))
    .mutation(({ ctx, input }) => registers.deleteRegister(ctx.db, ctx.org.orgId, input.registerId)),

  schema: read
    .input(z.object({ schemaId: z.string() }))
    .query(({ ctx, input }) => registers.loadSchema(ctx.db, ctx.org.orgId, input.schemaId)),

  createSchema: write
    .input(z.object({ registerId: z.string(), name, description, jsonSchema: z.unknown() }))
    .mutation(({ ctx, input }) => registers.createSchema(ctx.db, ctx.org.orgId, input.registerId, input)),

  updateSchema: write
    .input(
      z.object({
        schemaId: z.string(),
        name: name.optional(),
        description,
        jsonSchema: z.unknown().optional(),
      }),
    )
    .mutation(({ ctx, input }) => registers.updateSchema(ctx.db, ctx.org.orgId, input.schemaId, input)),

  // A JSON Schema inferred from sample objects (pasted, or taken from a source), for the page to edit
  // before it is saved. Nothing is stored.
  inferSchema: read
    .input(z.object({ samples: z.array(objectData).min(1, 'Give at least one sample object.').max(500) }))
    .mutation(({ input }) => inferSchema(input.samples)),

  deleteSchema: write
    .input(z.object({ schemaId: z.string() }))
    .mutation(({ ctx, input }) => registers.deleteSchema(ctx.db, ctx.org.orgId, input.schemaId)),

  objects: read
    .input(
      z.object({
        schemaId: z.string(),
        search: z.string().max(200).optional(),
        /** A page's `next`, `previous` or `last` cursor; without it, the first page. */
        cursor: z.string().max(200).optional(),
        pageSize: z.number().int().min(1).max(200).default(50),
        includeDeleted: z.boolean().optional(),
      }),
    )
    .query(({ ctx, input }) => listObjects(ctx.db, ctx.org.orgId, input.schemaId, input)),

  object: read
    .input(z.object({ objectId: z.string() }))
    .query(({ ctx, input }) => registers.objectDetail(ctx.db, ctx.org.orgId, input.objectId)),

  // Objects edited by people: validated against the schema, recorded with who and when, pushed out.
  createObject: write
    .input(z.object({ schemaId: z.string(), data: objectData }))
    .mutation(({ ctx, input }) => objects.createObject(ctx.db, ctx.org.orgId, ctx.user.id, input)),

  updateObject: write
    .input(z.object({ objectId: z.string(), version: z.int().min(1), data: objectData }))
    .mutation(({ ctx, input }) => objects.updateObject(ctx.db, ctx.org.orgId, ctx.user.id, input)),

  deleteObject: write
    .input(z.object({ objectId: z.string() }))
    .mutation(({ ctx, input }) => objects.deleteObject(ctx.db, ctx.org.orgId, ctx.user.id, input)),
});
