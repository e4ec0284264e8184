import type { CallerKind, Viewer } from '../platform/index.ts';

/**
 * Scopes each role carries. `pii:read` is what `@requiresScopes` on personal
 * data asks for: the person themself, their coordinators and front-office,
 * and admins; never analysts or partners.
 */
export const ROLE_SCOPES: Readonly<Record<CallerKind, readonly string[]>> = {
  public: [],
  volunteer: ['pii:read'],
  coordinator: ['pii:read'],
  front_office: ['pii:read'],
  partner: [],
  analyst: ['analytics:read'],
  // Admins may do everything, aggregates included.
  admin: ['pii:read', 'analytics:read', 'admin'],
  service: [],
};

/** Scopes only a role can grant: a token or key claiming them without the role does not get them. */
const ROLE_ONLY_SCOPES = ['pii:read', 'analytics:read', 'admin'];

/** The viewer with the scopes of its roles added, and role-only scopes it claimed without a role dropped. */
export function withRoleScopes(viewer: Viewer): Viewer {
  const derived = viewer.roles.flatMap((role) => ROLE_SCOPES[role] ?? []);
  const claimed = viewer.scopes.filter((scope) => !ROLE_ONLY_SCOPES.includes(scope) || derived.includes(scope));
  return { ...viewer, scopes: [...new Set([...derived, ...claimed])].sort() };
}
