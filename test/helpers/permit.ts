/** An EIP-2612 Permit as a dapp would hand it over (typed-data tests, policy tests, the contract-calls e2e). */
export const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
export const VAULT = '0x1111111111111111111111111111111111111111';

export function permitFor(p: { token: string; owner: string; spender: string; value: string; deadline: string | number }) {
  return {
    types: {
      EIP712Domain: [
        { name: 'name', type: 'string' },
        { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' },
        { name: 'verifyingContract', type: 'address' },
      ],
      Permit: [
        { name: 'owner', type: 'address' },
        { name: 'spender', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'nonce', type: 'uint256' },
        { name: 'deadline', type: 'uint256' },
      ],
    },
    primaryType: 'Permit',
    domain: { name: 'Cairn Test Token', version: '1', chainId: 31337, verifyingContract: p.token },
    message: { owner: p.owner, spender: p.spender, value: p.value, nonce: 0, deadline: p.deadline },
  };
}

export const permit = permitFor({
  token: TOKEN,
  owner: VAULT,
  spender: '0x2222222222222222222222222222222222222222',
  value: '1000000000000000000',
  deadline: '0xffffffff',
});
