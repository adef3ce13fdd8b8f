/** DKLs23 5-of-9: 200 signatures by random signer subsets over real DKG keys (see signMany.ts). */
import { it } from 'vitest';
import { signMany } from './signMany.ts';

it('5-of-9: 200 threshold ECDSA signatures verify and recover to the group address', async () => {
  await signMany(5, 9, 200, 6);
}, 600_000);
