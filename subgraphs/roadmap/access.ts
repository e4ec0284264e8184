import { Forbidden, hasRole, Unauthenticated, type Viewer } from '../kit/index.ts';

/** The roadmap is read by anyone; phases, indicators and targets are written by admins only. */
export function assertAdmin(viewer: Viewer, what: string): void {
  if (hasRole(viewer, 'admin')) return;
  if (viewer.kind === 'public') throw new Unauthenticated(`Sign in first: only an admin may ${what}`);
  throw new Forbidden(`Only an admin may ${what}`);
}
