/**
 * A signing request in plain words, as every guardian sees it before approving: recipient and
 * amount in ETH or token units, the function and arguments for known ABIs, raw data otherwise.
 */
import { decodeFunctionData, erc20Abi, formatEther, formatUnits, getAddress, toHex, type Hex } from 'viem';
import type { SigningRequest } from '../../core/index.ts';
import { cairnRegistryAbi } from '../../chain/generated/CairnRegistry.ts';
import { loadSettings } from './settings.ts';

export type RequestDescription = { title: string; lines: [string, string][] };

export function describeRequest(r: SigningRequest): RequestDescription {
  switch (r.type) {
    case 'vault-execute':
      return describeVaultCall(r, [
        ['Payment number', String(r.nonce)],
        ['Valid until', deadline(r.validUntil)],
      ]);
    case 'vault-user-operation': {
      const gas = r.callGasLimit + r.verificationGasLimit + r.preVerificationGas;
      return describeVaultCall(r, [
        ['Network fee, at most', `${formatEther(gas * r.maxFeePerGas)} ETH (paid by the vault)`],
        ...(r.initCode.length ? ([['Also', 'Creates the vault contract']] as [string, string][]) : []),
        ['Valid until', deadline(r.validUntil)],
      ]);
    }
    case 'vault-message':
      return { title: 'Approve a message for the vault (ERC-1271)', lines: [['Hash', r.hash]] };
    case 'registry-register':
      return {
        title: 'Register this wallet on chain',
        lines: [
          ['Threshold', String(r.threshold)],
          ['Registry', r.registry],
          ['Guardian set', r.guardianSetHash.slice(0, 18) + '…'],
        ],
      };
    case 'registry-advance-epoch':
      return {
        title: `Record the guardians' new shares on chain (share set ${r.epoch + 1n})`,
        lines: [
          ['Approvals needed', String(r.threshold)],
          ['Registry', r.registry],
        ],
      };
    case 'eip191-message':
      return { title: 'Sign a message', lines: [['Message', new TextDecoder().decode(r.message)]] };
    case 'test-message':
      return { title: 'Test signature', lines: [] };
    case 'eoa-transaction': {
      const data = toHex(r.data);
      const call = r.data.length ? decodeKnown(data) : undefined;
      const lines: [string, string][] = [
        ['From', 'Plain address'],
        ['To', getAddress(r.to)],
        ['Amount', `${formatEther(r.value)} ETH`],
        ['Chain', String(r.chainId)],
        ['Payment number', String(r.nonce)],
      ];
      if (call) lines.push(['Calls', `${call.functionName}(${(call.args ?? []).map(String).join(', ')})`]);
      else if (r.data.length) lines.push(['Data (not decoded)', data]);
      return {
        title: r.data.length
          ? call
            ? `Call ${call.functionName} from the plain address`
            : 'Contract call from the plain address'
          : `Send ${formatEther(r.value)} ETH from the plain address`,
        lines,
      };
    }
    case 'eoa-message':
      return { title: 'Sign a message with the plain address', lines: [['Message', new TextDecoder().decode(r.message)]] };
    default:
      return { title: 'Unknown request', lines: [] };
  }
}

type VaultCallRequest = Extract<SigningRequest, { type: 'vault-execute' | 'vault-user-operation' }>;

/** The vault's call in plain words (direct `execute` and user operation alike), then `extra` lines. */
function describeVaultCall(r: VaultCallRequest, extra: [string, string][]): RequestDescription {
  const data = toHex(r.data);
  const lines: [string, string][] = [['From', `Vault ${r.vault}`]];
  if (r.data.length === 0) {
    return { title: `Send ${formatEther(r.value)} ETH`, lines: [...lines, ['To', getAddress(r.to)], ['Amount', `${formatEther(r.value)} ETH`], ...extra] };
  }
  const call = decodeKnown(data);
  const token = loadSettings().chain?.token;
  if (call?.functionName === 'transfer' && token && getAddress(r.to) === getAddress(token)) {
    const [to, amount] = call.args as [Hex, bigint];
    return {
      title: `Send ${formatUnits(amount, 18)} CTT`,
      lines: [...lines, ['To', getAddress(to)], ['Amount', `${formatUnits(amount, 18)} CTT (test token)`], ['Token', getAddress(r.to)], ...extra],
    };
  }
  lines.push(['Contract', getAddress(r.to)]);
  if (r.value > 0n) lines.push(['Value', `${formatEther(r.value)} ETH`]);
  if (call) lines.push(['Calls', `${call.functionName}(${(call.args ?? []).map(String).join(', ')})`]);
  else lines.push(['Data (not decoded)', data]);
  return { title: call ? `Call ${call.functionName}` : 'Contract call', lines: [...lines, ...extra] };
}

const deadline = (unixSeconds: number) => new Date(unixSeconds * 1000).toLocaleString();

function decodeKnown(data: Hex): { functionName: string; args?: readonly unknown[] } | undefined {
  for (const abi of [erc20Abi, cairnRegistryAbi] as const) {
    try {
      return decodeFunctionData({ abi, data }) as { functionName: string; args?: readonly unknown[] };
    } catch {
      continue;
    }
  }
  return undefined;
}
