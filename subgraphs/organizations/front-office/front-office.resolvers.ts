import {
  cursorCodec,
  geoPointOf,
  isId,
  parseGeoPoint,
  parseId,
  parseInteger,
  parsePage,
  parseYear,
  toConnection,
  type PageArgs,
} from '../../kit/index.ts';
import type { OrganizationsContext } from '../context.ts';
import {
  capacityCursor,
  listCapacitySnapshots,
  listFrontOffices,
  listFrontOfficesNear,
  listTrainings,
  trainingCursor,
  type CapacitySnapshot,
  type FrontOffice,
  type Training,
} from './front-office.repository.ts';
import {
  openFrontOffice,
  recordFrontOfficeCapacity,
  recordTraining,
  updateFrontOfficeDirectory,
  type FrontOfficeDirectoryInput,
  type OpenFrontOfficeInput,
} from './front-office.service.ts';

const capacityCursors = cursorCodec('capacityHistory', ['day', 'id']);
const trainingCursors = cursorCodec('trainings', ['day', 'id']);

export const frontOfficeResolvers = {
  Query: {
    frontOffice: (_: unknown, { id }: { id: string }, { loaders }: OrganizationsContext) => loaders.frontOfficeById.load(parseId(id, 'id')),
    frontOffices: async (
      _: unknown,
      args: { near?: { latitude: number; longitude: number } | null; first?: number | null },
      { db }: OrganizationsContext,
    ) => {
      const first = args.first === null || args.first === undefined ? null : parseInteger(args.first, 'first', 0, 100);
      if (!args.near) {
        const offices = await listFrontOffices(db);
        return first === null ? offices : offices.slice(0, first);
      }
      const offices = await listFrontOfficesNear(db, parseGeoPoint(args.near, 'near'), first);
      return offices.map((o) => ({ ...o, distanceKm: o.distanceMetres === null ? null : o.distanceMetres / 1000 }));
    },
  },
  Mutation: {
    openFrontOffice: (_: unknown, { input }: { input: OpenFrontOfficeInput }, context: OrganizationsContext) =>
      openFrontOffice(context.db, context, input),
    recordFrontOfficeCapacity: (
      _: unknown,
      args: { frontOfficeId: string; asOf?: string | null; staff: number; trainers: number; equipmentItems: number },
      context: OrganizationsContext,
    ) => recordFrontOfficeCapacity(context.db, context, args),
    updateFrontOfficeDirectory: (_: unknown, args: { id: string; input: FrontOfficeDirectoryInput }, context: OrganizationsContext) =>
      updateFrontOfficeDirectory(context.db, context, args),
    recordTraining: (
      _: unknown,
      args: { frontOfficeId: string; date: string; topic: string; peopleTrained: number },
      context: OrganizationsContext,
    ) => recordTraining(context.db, context, args),
  },
  FrontOffice: {
    __resolveReference: (ref: { id: string }, { loaders }: OrganizationsContext) =>
      isId(ref.id) ? loaders.frontOfficeById.load(ref.id.toLowerCase()) : null,
    region: (f: FrontOffice, _: unknown, { loaders }: OrganizationsContext) =>
      f.regionCode ? loaders.regionByCode.load(f.regionCode) : null,
    address: (f: FrontOffice) => f.directory.address,
    phone: (f: FrontOffice) => f.directory.phone,
    email: (f: FrontOffice) => f.directory.email,
    openingHours: (f: FrontOffice) => f.directory.openingHours,
    location: ({ directory: d }: FrontOffice) => geoPointOf(d.latitude, d.longitude),
    distanceKm: (f: FrontOffice & { distanceKm?: number | null }) => f.distanceKm ?? null,
    capacityHistory: async (f: FrontOffice, args: PageArgs, { db, loaders }: OrganizationsContext) => {
      const page = parsePage(args, capacityCursors);
      const rows = page.after
        ? await listCapacitySnapshots(db, f.id, page)
        : await loaders.firstCapacitySnapshots.load({ parentId: f.id, filter: null, limit: page.limit });
      return toConnection(rows, page, capacityCursor);
    },
    trainings: async (f: FrontOffice, args: PageArgs, { db, loaders }: OrganizationsContext) => {
      const page = parsePage(args, trainingCursors);
      const rows = page.after
        ? await listTrainings(db, f.id, page)
        : await loaders.firstTrainings.load({ parentId: f.id, filter: null, limit: page.limit });
      return toConnection(rows, page, trainingCursor);
    },
    trainingTotals: async (f: FrontOffice, args: { year?: number | null }, { loaders }: OrganizationsContext) => {
      const year = args.year === null || args.year === undefined ? null : parseYear(args.year, 'year');
      const years = (await loaders.trainingYearsOfFrontOffice.load(f.id)).filter((y) => year === null || y.year === year);
      return {
        year,
        trainings: years.reduce((sum, y) => sum + y.trainings, 0),
        peopleTrained: years.reduce((sum, y) => sum + y.peopleTrained, 0),
      };
    },
  },
  FrontOfficeCapacity: {
    frontOffice: (s: CapacitySnapshot, _: unknown, { loaders }: OrganizationsContext) => loaders.frontOfficeById.load(s.frontOfficeId),
  },
  FrontOfficeTraining: {
    date: (t: Training) => t.heldOn,
    frontOffice: (t: Training, _: unknown, { loaders }: OrganizationsContext) => loaders.frontOfficeById.load(t.frontOfficeId),
  },
};
