import { isId, parseId } from '../../kit/index.ts';
import type { OrganizationsContext } from '../context.ts';
import { listFrontOffices, type FrontOffice } from './front-office.repository.ts';

export const frontOfficeResolvers = {
  Query: {
    frontOffice: (_: unknown, { id }: { id: string }, { loaders }: OrganizationsContext) => loaders.frontOfficeById.load(parseId(id, 'id')),
    frontOffices: (_: unknown, __: unknown, { db }: OrganizationsContext) => listFrontOffices(db),
  },
  FrontOffice: {
    __resolveReference: (ref: { id: string }, { loaders }: OrganizationsContext) =>
      isId(ref.id) ? loaders.frontOfficeById.load(ref.id.toLowerCase()) : null,
    region: (f: FrontOffice, _: unknown, { loaders }: OrganizationsContext) => (f.regionCode ? loaders.regionByCode.load(f.regionCode) : null),
  },
};
