/**
 * A signing request in plain words, as every guardian sees it before approving: recipient and amount
 * in ETH or the token's own units (symbol and decimals read from the chain, `tokenInfo.ts`), a contract
 * call decoded with viem against the ABIs this app knows (`contractCall.ts`), typed data (EIP-712) with
 * its domain and fields. Warnings in plain words for what can take funds later (an unlimited
 * approval, an operator for a whole collection) and for an address this wallet never paid or called.
 * Technical names (function signature, selector, raw data, digests) go in `details`, which the page
 * shows inside a disclosure. Never throws: what can't be read is described as such.
 */
import { formatEther, formatUnits, getAddress, toHex, type AbiFunction, type Address, type Hex } from 'viem';
import { parseTypedData, type SigningRequest, type TypedDataDocument, type TypedDataValue } from '../../core/index.ts';
import type { TokenInfo } from './chain.ts';
import { decodeCall, type DecodedCall } from './contractCall.ts';
import { decodeWithRequesterAbi } from './requesterAbi.ts';
import { knownTokenInfo } from './tokenInfo.ts';
import { permitOf } from './typedDataRequest.ts';

type Line = [string, string];
export type RequestDescription = {
  title: string;
  lines: Line[];
  /** Things to think about before approving, in plain words. */
  warnings: string[];
  /** Technical names, for a "details" disclosure. */
  details: Line[];
  /** ERC-20 contracts whose symbol and decimals the description would like (see `useTokenInfo`). */
  tokens: Address[];
};

export type DescribeContext = {
  /** Whether this wallet paid or called `address` in an earlier signed request (undefined: don't warn). */
  knownRecipient?: (address: Address) => boolean;
  /** The chain this device is set up for (typed data for another chain is flagged). */
  chainId?: number;
  /** The function the requester says it called (`requesterAbi.ts`), for data no known ABI reads. */
  requesterAbi?: AbiFunction;
  /** The registry this device is set up for: only a call to it, sending no ETH, is said as the wallet's bookkeeping. */
  registry?: Address | undefined;
};

/** Two-to-the-255 and more reads as "unlimited": wallets approve max uint256, some max int256. */
const UNLIMITED = 1n << 255n;
const MAX_FIELD_LINES = 40;

export function describeRequest(r: SigningRequest, ctx: DescribeContext = {}): RequestDescription {
  try {
    return describeAny(r, ctx);
  } catch {
    return {
      title: 'A request this device can’t read',
      lines: [],
      warnings: ['This device can’t read this request. Don’t approve it.'],
      details: [],
      tokens: [],
    };
  }
}

function describeAny(r: SigningRequest, ctx: DescribeContext): RequestDescription {
  const base = { warnings: [] as string[], details: [] as Line[], tokens: [] as Address[] };
  switch (r.type) {
    case 'vault-execute':
      return describeCall({ ...r, from: 'vault' }, ctx, [
        ['Valid until', deadline(r.validUntil)],
        ['Payment number', String(r.nonce)],
      ]);
    case 'vault-user-operation': {
      const gas = r.callGasLimit + r.verificationGasLimit + r.preVerificationGas;
      return describeCall({ ...r, from: 'vault' }, ctx, [
        ['Network fee, at most', `${formatEther(gas * r.maxFeePerGas)} ETH (paid by the vault)`],
        ...(r.initCode.length ? ([['Also', 'Creates the vault contract']] as Line[]) : []),
        ['Valid until', deadline(r.validUntil)],
      ]);
    }
    case 'eoa-transaction':
      return describeCall({ ...r, from: 'eoa' }, ctx, [
        ['Network fee, at most', `${formatEther(r.gas * r.maxFeePerGas)} ETH (paid by the plain address)`],
        ['Chain', String(r.chainId)],
        ['Payment number', String(r.nonce)],
      ]);
    case 'vault-typed-data':
    case 'eoa-typed-data':
      return describeTypedData(parseTypedData(r.typedData), r.type === 'vault-typed-data' ? 'vault' : 'eoa', ctx);
    case 'vault-message':
      return { ...base, title: 'Approve a message for the vault (ERC-1271)', lines: [['Hash', r.hash]] };
    case 'registry-register':
      return {
        ...base,
        title: 'Register this wallet on chain',
        lines: [
          ['Threshold', String(r.threshold)],
          ['Registry', r.registry],
          ['Guardian set', r.guardianSetHash.slice(0, 18) + '…'],
        ],
      };
    case 'registry-advance-epoch':
      return {
        ...base,
        title: `Record the guardians' new shares on chain (share set ${r.epoch + 1n})`,
        lines: [
          ['Approvals needed', String(r.threshold)],
          ['Registry', r.registry],
        ],
      };
    case 'eip191-message':
      return { ...base, title: 'Sign a message', lines: [['Message', new TextDecoder().decode(r.message)]] };
    case 'test-message':
      return { ...base, title: 'Test signature', lines: [] };
    case 'eoa-message':
      return { ...base, title: 'Sign a message with the plain address', lines: [['Message', new TextDecoder().decode(r.message)]] };
    default:
      return { ...base, title: 'Unknown request', lines: [] };
  }
}

type Call = { from: 'vault' | 'eoa'; vault?: Address; to: Address; value: bigint; data: Uint8Array };

/** A call as the approvers will see it, before it is a request (the form's preview); never throws. */
export function describeCallPreview(c: Call, ctx: DescribeContext = {}): RequestDescription | undefined {
  try {
    return describeCall(c, ctx, []);
  } catch {
    return undefined;
  }
}

const fromWords = (c: Call) => (c.from === 'vault' ? 'the vault' : 'the plain address');
const suffix = (c: Call) => (c.from === 'eoa' ? ' from the plain address' : '');
const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;

function newAddressWarning(ctx: DescribeContext, a: Address, what: string): string[] {
  return ctx.knownRecipient && !ctx.knownRecipient(a) ? [`This wallet has never paid or called ${a} before. Check ${what} with the person who asked.`] : [];
}

/** An amount of `token` in its own units, or in raw units (and a note) while its decimals are unknown. */
function tokenAmount(token: Address, amount: bigint): string {
  const info: TokenInfo | null | undefined = knownTokenInfo(token);
  if (info) return `${formatUnits(amount, info.decimals)} ${info.symbol}`;
  return `${amount} units of the token at ${short(token)}${info === undefined ? ' (reading its decimals…)' : ''}`;
}

/** A payment or contract call from the vault (direct or as a user operation) or from the plain address. */
function describeCall(c: Call, ctx: DescribeContext, extra: Line[]): RequestDescription {
  const d = describeCallParts(c, ctx, extra);
  // ETH sent along with call data is said in the title too, not only in a line below a token amount.
  return c.data.length > 0 && c.value > 0n ? { ...d, title: `${d.title}, and ${formatEther(c.value)} ETH with it` } : d;
}

function describeCallParts(c: Call, ctx: DescribeContext, extra: Line[]): RequestDescription {
  const to = getAddress(c.to);
  const from: Line = ['From', c.from === 'vault' ? `Vault ${c.vault ? getAddress(c.vault) : ''}` : 'Plain address'];
  if (c.data.length === 0) {
    const amount = `${formatEther(c.value)} ETH`;
    return {
      title: `Send ${amount}${suffix(c)}`,
      lines: [from, ['To', to], ['Amount', amount], ...extra],
      warnings: newAddressWarning(ctx, to, 'the address'),
      details: [],
      tokens: [],
    };
  }
  const data = toHex(c.data);
  const call = decodeCall(data);
  const details: Line[] = [['Call data', data.length > 1000 ? `${data.slice(0, 1000)}…` : data]];
  const value: Line[] = c.value > 0n ? [['Also sends', `${formatEther(c.value)} ETH`]] : [];
  const claimed = !call && ctx.requesterAbi ? decodeWithRequesterAbi(ctx.requesterAbi, data) : undefined;
  if (ctx.requesterAbi && claimed) {
    const fn = ctx.requesterAbi;
    return {
      title: `Call ${fn.name} on ${short(to)}${suffix(c)}, as the person who asked describes it`,
      lines: [
        from,
        ['Contract', to],
        ['Action', fn.name],
        ...fn.inputs.map((p, i): Line => [p.name || `Argument ${i + 1}`, show(claimed[i])]),
        ...value,
        ...extra,
      ],
      warnings: [
        'Only the person who asked says what this call does: this device doesn’t know this contract and can’t check it. Approve it only if you know exactly what it is.',
        ...newAddressWarning(ctx, to, 'the contract'),
      ],
      details: [
        ['Function (from the person who asked)', `${fn.name}(${fn.inputs.map((i) => i.type).join(',')})`],
        ['Function selector', data.slice(0, 10)],
        ...details,
      ],
      tokens: [],
    };
  }
  if (!call) {
    return {
      title: `Unknown contract call${suffix(c)}`,
      lines: [from, ['Contract', to], ...value, ...extra],
      warnings: [`This device can’t read what this call does. Approve it only if you know exactly what it is.`, ...newAddressWarning(ctx, to, 'the contract')],
      details: [['Function selector', data.slice(0, 10)], ...details],
      tokens: [],
    };
  }
  details.unshift(['Recognised as', call.abi.label], ['Function', signatureOf(call)]);
  const erc20 = call.abi.id === 'erc20' || call.abi.id === 'cairn-test-token';
  const fn = call.item.name;
  const args = call.args;
  if (erc20 && fn === 'transfer') {
    const [recipient, amount] = args as [Address, bigint];
    const shown = tokenAmount(to, amount);
    return {
      title: `Send ${shown}${suffix(c)}`,
      lines: [from, ['To', getAddress(recipient)], ['Amount', shown], ['Token', to], ...value, ...extra],
      warnings: newAddressWarning(ctx, getAddress(recipient), 'the recipient'),
      details,
      tokens: [to],
    };
  }
  if (erc20 && fn === 'approve') {
    const [spender, amount] = args as [Address, bigint];
    const unlimited = amount >= UNLIMITED;
    const shown = unlimited ? `unlimited ${knownTokenInfo(to)?.symbol ?? 'tokens'}` : tokenAmount(to, amount);
    return {
      title: `Allow ${short(getAddress(spender))} to spend ${shown}${suffix(c)}`,
      lines: [from, ['Spender', getAddress(spender)], ['Amount', shown], ['Token', to], ...value, ...extra],
      warnings: [
        ...(unlimited
          ? [
              `Unlimited approval: ${getAddress(spender)} could take all of this token from ${fromWords(c)}, now and at any time later, without asking the guardians again.`,
            ]
          : []),
        ...newAddressWarning(ctx, getAddress(spender), 'the spender'),
        ...nftWarning(to, `lets ${getAddress(spender)} take its item #${amount}`),
      ],
      details,
      tokens: [to],
    };
  }
  if (fn === 'setApprovalForAll') {
    const [operator, approved] = args as [Address, boolean];
    return {
      title: approved
        ? `Let ${short(getAddress(operator))} move every item of a collection${suffix(c)}`
        : `Stop ${short(getAddress(operator))} moving a collection${suffix(c)}`,
      lines: [from, ['Operator', getAddress(operator)], ['Allowed', approved ? 'yes' : 'no'], ['Collection', to], ...value, ...extra],
      warnings: approved
        ? [
            `${getAddress(operator)} could move every item of this collection that ${fromWords(c)} holds, now and later, without asking the guardians again.`,
            ...newAddressWarning(ctx, getAddress(operator), 'the operator'),
          ]
        : [],
      details,
      tokens: [],
    };
  }
  // The wallet's own bookkeeping (co-signed automatically, listed in Activity): said as what it does.
  // The group's signature for the registry is its own request; this one carries it and pays the fee. Another
  // contract taking the same call, or ETH sent with it, is not bookkeeping: it is said as the call it is.
  const bookkeeping = call.abi.id === 'cairn-registry' && c.value === 0n && ctx.registry !== undefined && getAddress(ctx.registry) === to;
  if (bookkeeping && (fn === 'register' || fn === 'advanceEpoch')) {
    return {
      title:
        fn === 'register'
          ? `Pay the fee to register this wallet on chain${suffix(c)}`
          : `Pay the fee to record the guardians' new shares on chain (share set ${(args[1] as bigint) + 1n})${suffix(c)}`,
      lines: [from, ['Registry', to], ...value, ...extra],
      warnings: [],
      details,
      tokens: [],
    };
  }
  const argLines: Line[] = call.item.inputs.map((p, i) => [p.name || `Argument ${i + 1}`, show(args[i])]);
  const nftMove = erc20 && fn === 'transferFrom';
  return {
    title: `Call ${fn} on ${short(to)}${suffix(c)}`,
    lines: [from, ['Contract', to], ['Action', fn], ...argLines, ...value, ...extra],
    warnings: [
      ...newAddressWarning(ctx, to, 'the contract'),
      ...(nftMove ? nftWarning(to, `moves its item #${args[2]} from ${show(args[0])} to ${show(args[1])}`) : []),
    ],
    details,
    tokens: nftMove ? [to] : [],
  };
}

/**
 * ERC-721 shares `approve` and `transferFrom` with ERC-20 (the same selectors), so they decode as token
 * amounts: for a contract that doesn't answer like a token, say what they do to an NFT.
 */
function nftWarning(contract: Address, what: string): string[] {
  return knownTokenInfo(contract) === null ? [`${contract} doesn’t answer like a token (ERC-20). If ${contract} is an NFT collection, this ${what}.`] : [];
}

const signatureOf = (c: DecodedCall) => `${c.item.name}(${c.item.inputs.map((i) => i.type).join(',')})`;

function show(v: unknown): string {
  if (typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v)) return getAddress(v);
  if (typeof v === 'bigint') return v >= UNLIMITED ? `${v} (unlimited)` : String(v);
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (typeof v === 'object' && v !== null) return `{${Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`)}}`;
  return String(v);
}

/**
 * Typed data (EIP-712): who it is for (domain), what kind of message (primary type) and every field.
 * An EIP-2612 Permit is said in words, like an ERC-20 approval.
 */
function describeTypedData(doc: TypedDataDocument, from: 'vault' | 'eoa', ctx: DescribeContext): RequestDescription {
  const by = from === 'vault' ? 'the vault' : 'the plain address';
  const d = doc.domain;
  const lines: Line[] = [['Signed by', by]];
  if (typeof d.name === 'string') lines.push(['For', d.name]);
  if (typeof d.verifyingContract === 'string') lines.push(['Contract', getAddress(d.verifyingContract)]);
  if (typeof d.chainId === 'string')
    lines.push(['Network', d.chainId === String(ctx.chainId ?? '') ? `this wallet’s network (${d.chainId})` : `chain ${d.chainId}`]);
  lines.push(['Kind of message', doc.primaryType]);
  const warnings: string[] = [];
  if (typeof d.chainId === 'string' && ctx.chainId !== undefined && d.chainId !== String(ctx.chainId))
    warnings.push(`This message is for another network (chain ${d.chainId}), not the one this wallet uses.`);
  const details: Line[] = [['Signature standard', 'EIP-712 typed data'], ...Object.entries(d).map(([k, v]): Line => [`Domain ${k}`, flat(v)])];
  const permit = permitOf(doc);
  if (permit) {
    const unlimited = permit.value >= UNLIMITED;
    const shown = unlimited ? `unlimited ${knownTokenInfo(permit.token)?.symbol ?? 'tokens'}` : tokenAmount(permit.token, permit.value);
    if (unlimited)
      warnings.push(
        `Unlimited permit: ${permit.spender} could take all of this token from ${by}, now and at any time later, without asking the guardians again.`,
      );
    warnings.push(...newAddressWarning(ctx, permit.spender, 'the spender'));
    return {
      title: `Sign a permit: allow ${short(permit.spender)} to spend ${shown}`,
      lines: [
        ...lines,
        ['Spender', permit.spender],
        ['Amount', shown],
        ['Until', permit.deadline >= 10n ** 11n ? 'no end date' : deadline(Number(permit.deadline))],
      ],
      warnings,
      details: [...details, ...fieldLines(doc.message, '')],
      tokens: [permit.token],
    };
  }
  const fields = fieldLines(doc.message, '');
  return {
    title: `Sign a ${doc.primaryType} message${typeof d.name === 'string' ? ` for ${d.name}` : ''}${from === 'eoa' ? ' with the plain address' : ''}`,
    lines: [...lines, ...fields.slice(0, MAX_FIELD_LINES)],
    warnings,
    details: [...details, ...fields.slice(MAX_FIELD_LINES)],
    tokens: [],
  };
}

/** Fields as "from.name: Bob" lines, nested structs and lists flattened. */
function fieldLines(v: Record<string, TypedDataValue>, prefix: string): Line[] {
  const out: Line[] = [];
  for (const [k, x] of Object.entries(v)) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (typeof x === 'object' && x !== null && !Array.isArray(x)) out.push(...fieldLines(x, name));
    else out.push([name, flat(x)]);
  }
  return out;
}

function flat(v: TypedDataValue): string {
  if (typeof v === 'string') return /^0x[0-9a-f]{40}$/.test(v) ? getAddress(v) : v;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return `[${v.map(flat).join(', ')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${k}: ${flat(x)}`)
    .join(', ')}}`;
}

/** Addresses this wallet paid or called in signed requests: call targets and ERC-20 recipients. */
export function paidBefore(requests: readonly { id: string; status: string; request: SigningRequest }[]): (except: string) => (a: Address) => boolean {
  const paid = new Map<string, Set<string>>();
  for (const q of requests) {
    if (q.status !== 'signed' && q.status !== 'sent') continue;
    const r = q.request;
    if (r.type !== 'vault-execute' && r.type !== 'vault-user-operation' && r.type !== 'eoa-transaction') continue;
    const set = new Set([getAddress(r.to)]);
    const call = r.data.length ? decodeCall(toHex(r.data)) : undefined;
    if (call && (call.item.name === 'transfer' || call.item.name === 'approve') && typeof call.args[0] === 'string') set.add(getAddress(call.args[0] as Hex));
    paid.set(q.id, set);
  }
  return (except) => (a) => [...paid].some(([id, set]) => id !== except && set.has(getAddress(a)));
}

const deadline = (unixSeconds: number) => new Date(unixSeconds * 1000).toLocaleString();
