/** Who conform's adapter areas play with, from a world file's accounts, and who sees what as access changes. */
import { describe, expect, it } from 'vitest';
import { camerasOf, castFromAccounts, sees } from '../../src/conform/adapter/cast.ts';
import { StampedeError } from '../../src/errors.ts';
import type { Accounts } from '../../src/world/accounts.ts';

const user = (id: string) => ({ id, login: `${id}@example.test`, secret: `${id}-secret` });

describe('castFromAccounts', () => {
  it('picks two users who each own a camera the other cannot see, skipping pairs joined by a share', () => {
    const accounts: Accounts = {
      users: [user('ann'), user('ben'), user('cat')],
      cameras: [
        { id: 'c1', secret: 'c1-secret', owner: 'ann', shares: ['ben'] },
        { id: 'c2', secret: 'c2-secret', owner: 'ben', shares: [] },
        { id: 'c3', secret: 'c3-secret', owner: 'cat', shares: [] },
      ],
    };
    const cast = castFromAccounts(accounts);
    expect([cast.alice.id, cast.front.id, cast.bob.id, cast.garage.id]).toEqual(['ann', 'c1', 'cat', 'c3']);
    expect(cast.fresh).toBe(false);
    expect(camerasOf(cast, 'ben')).toEqual([{ cameraId: 'c1', role: 'shared' }, { cameraId: 'c2', role: 'owner' }]);
    cast.access.get('c1')!.shares.delete('ben');
    expect(sees(cast, 'ben', 'c1')).toBe(false);
  });

  it('says in one usage line when no such pair exists', () => {
    const accounts: Accounts = {
      users: [user('ann'), user('ben')],
      cameras: [
        { id: 'c1', secret: 'c1-secret', owner: 'ann', shares: ['ben'] },
        { id: 'c2', secret: 'c2-secret', owner: 'ann', shares: [] },
      ],
    };
    expect(() => castFromAccounts(accounts)).toThrow(StampedeError);
    expect(() => castFromAccounts(accounts)).toThrow(/no two users who each own a camera the other cannot see/);
  });
});
