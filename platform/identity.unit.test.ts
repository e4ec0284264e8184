import { describe, expect, it } from 'vitest';
import { invalidIdentityClaim, signIdentity, verifyIdentity, viewerFromClaims, viewerToClaims } from './identity.ts';

const SECRET = new TextEncoder().encode('unit-test-internal-secret-0123456789abcdef');
const ORG = '0b8f6d1e-6a3b-4c57-9d2e-1f00a1b2c3d4';

describe('identity', () => {
  it('maps claims to a viewer; unknown roles are ignored, the most privileged kind wins', () => {
    const viewer = viewerFromClaims({
      sub: 'u1',
      roles: ['superuser', 'coordinator', 'volunteer'],
      org: ORG,
      scope: 'pii:read hours:write',
    });
    expect(viewer).toMatchObject({
      kind: 'coordinator',
      roles: ['coordinator', 'volunteer'],
      organizationIds: [ORG],
      scopes: ['pii:read', 'hours:write'],
    });
    expect(viewerFromClaims({ role: 'root' })).toMatchObject({ kind: 'public', roles: ['public'] });
  });

  it('names the first malformed claim, so that a token carrying it is refused', () => {
    expect(invalidIdentityClaim({ volunteer_id: ORG, region: '710000000' })).toBeNull();
    expect(invalidIdentityClaim({ region: 'national' })).toBeNull();
    expect(invalidIdentityClaim({ volunteer_id: "x' OR 1=1 --" })).toBe('volunteer_id');
    expect(invalidIdentityClaim({ org: [ORG, 'nope'] })).toBe('org');
    expect(invalidIdentityClaim({ region: '71000000' })).toBe('region');
    expect(invalidIdentityClaim({ sub: 'x'.repeat(257) })).toBe('sub');
  });

  it('a signed identity verifies to the same viewer; a wrong secret or an expired one does not', async () => {
    const viewer = viewerFromClaims({ sub: 'staff-1', roles: ['front_office'], region: '710000000' });
    const token = await signIdentity(viewer, SECRET, 60);
    expect(await verifyIdentity(token, SECRET)).toEqual(viewer);
    expect(viewerFromClaims(viewerToClaims(viewer))).toEqual(viewer);
    await expect(verifyIdentity(token, new TextEncoder().encode('another-secret-of-enough-length-0123456789'))).rejects.toThrow();
    await expect(verifyIdentity(token, SECRET, Date.now() + 120_000)).rejects.toThrow();
  });
});
