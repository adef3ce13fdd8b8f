/**
 * The function a requester called with an ABI it pasted, published beside its request (`call-abi` entry:
 * `{ requestId, fn }`) so the approvers can read a call that none of the ABIs they know decodes. It is the
 * requester's word, not something a device can check (a made-up name can share a 4-byte selector), so
 * it is shown as such and the call stays "unknown data" for the policy. Another device's bytes: the
 * entry is bounded, checked field by field, and taken only from the request's own requester.
 */
import { decodeFunctionData, toFunctionSelector, type AbiFunction, type AbiParameter, type Hex } from 'viem';
import type { LogEntry } from '../../net/requestLog.ts';
import { parseJson } from './parseJson.ts';

const MAX_BODY = 8 * 1024;
const MAX_INPUTS = 32;
const MAX_DEPTH = 4;
const NAME = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;
const TYPE =
  /^(address|bool|string|bytes([1-9]|[12]\d|3[0-2])?|u?int(8|16|24|32|40|48|56|64|72|80|88|96|104|112|120|128|136|144|152|160|168|176|184|192|200|208|216|224|232|240|248|256)?|tuple)(\[\d{0,4}\])*$/;

function checkParam(p: unknown, depth: number): AbiParameter | undefined {
  if (typeof p !== 'object' || p === null || depth > MAX_DEPTH) return undefined;
  const { name, type, components } = p as { name?: unknown; type?: unknown; components?: unknown };
  if (typeof type !== 'string' || !TYPE.test(type)) return undefined;
  if (name !== undefined && name !== '' && (typeof name !== 'string' || !NAME.test(name))) return undefined;
  const base = { type, ...(typeof name === 'string' && name ? { name } : {}) };
  if (!type.startsWith('tuple')) return components === undefined ? (base as AbiParameter) : undefined;
  if (!Array.isArray(components) || components.length > MAX_INPUTS) return undefined;
  const checked = components.map((c) => checkParam(c, depth + 1));
  return checked.every(Boolean) ? ({ ...base, components: checked } as AbiParameter) : undefined;
}

/** A published function, or undefined when anything about it is off. */
export function checkAbiFunction(v: unknown): AbiFunction | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { name, inputs, stateMutability } = v as { name?: unknown; inputs?: unknown; stateMutability?: unknown };
  if (typeof name !== 'string' || !NAME.test(name) || !Array.isArray(inputs) || inputs.length > MAX_INPUTS) return undefined;
  const checked = inputs.map((p) => checkParam(p, 0));
  if (!checked.every(Boolean)) return undefined;
  const mutability = stateMutability === 'payable' ? 'payable' : 'nonpayable';
  const fn: AbiFunction = { type: 'function', name, inputs: checked as AbiParameter[], outputs: [], stateMutability: mutability };
  try {
    toFunctionSelector(fn);
    return fn;
  } catch {
    return undefined;
  }
}

/** The body of a `call-abi` entry. */
export function callAbiBody(requestId: string, fn: AbiFunction): { requestId: string; fn: AbiFunction } {
  return { requestId, fn: { type: 'function', name: fn.name, inputs: fn.inputs, outputs: [], stateMutability: fn.stateMutability } };
}

/** Request id → the function its requester published (`requesterOf` gives each request's author). */
export function requesterAbisOf(entries: readonly LogEntry[], requesterOf: (requestId: string) => string | undefined): Map<string, AbiFunction> {
  const out = new Map<string, AbiFunction>();
  for (const e of entries) {
    if (e.kind !== 'call-abi' || e.body.length > MAX_BODY) continue;
    const b = parseJson<{ requestId?: unknown; fn?: unknown }>(e.body);
    if (!b || typeof b.requestId !== 'string' || requesterOf(b.requestId) !== e.author) continue;
    const fn = checkAbiFunction(b.fn);
    if (fn && !out.has(b.requestId)) out.set(b.requestId, fn);
  }
  return out;
}

/** The call decoded with the requester's function, or undefined when it doesn't read the data. */
export function decodeWithRequesterAbi(fn: AbiFunction, data: Hex): readonly unknown[] | undefined {
  try {
    if (toFunctionSelector(fn).toLowerCase() !== data.slice(0, 10).toLowerCase()) return undefined;
    return decodeFunctionData({ abi: [fn], data }).args ?? [];
  } catch {
    return undefined;
  }
}
