/** DKLs23 2-of-3: 130 signatures by random signer subsets over real DKG keys (see signMany.ts). */
import { it } from 'vitest';
import { signMany } from './signMany.ts';

it('2-of-3: 130 threshold ECDSA signatures verify and recover to the group address', async () => {
  await signMany(2, 3, 130, 3);
}, 600_000);
