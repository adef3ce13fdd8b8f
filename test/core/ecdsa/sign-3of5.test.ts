/** DKLs23 3-of-5: 200 signatures by random signer subsets over real DKG keys (see signMany.ts). */
import { it } from 'vitest';
import { signMany } from './signMany.ts';

it('3-of-5: 200 threshold ECDSA signatures verify and recover to the group address', async () => {
  await signMany(3, 5, 200, 5);
}, 600_000);
