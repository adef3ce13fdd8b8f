/** DKLs23 2-of-3: 200 signatures by random signer subsets over real DKG keys (see signMany.ts). */
import { it } from 'vitest';
import { signMany } from './signMany.ts';

it('2-of-3: 200 threshold ECDSA signatures verify and recover to the group address', async () => {
  await signMany(2, 3, 200, 3);
}, 600_000);
