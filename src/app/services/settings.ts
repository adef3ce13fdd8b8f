/**
 * Where the app connects: chain RPC and id, Cairn's contracts, signaling servers, STUN/TURN
 * servers. Defaults come from the build (VITE_* variables, e.g. `npm start`'s); a person can
 * override them in Settings. Nothing wallet-secret here, so localStorage is fine (a TURN credential
 * only buys relay bandwidth; see src/net/iceConfig.ts).
 */
import { readChainConfig, type CairnChainConfig } from '../../chain/chainConfig.ts';
import { defaultSignalingUrls } from '../../net/webrtcRoom.ts';
import { defaultIceConfig, validateIceConfig, type IceConfig } from '../../net/iceConfig.ts';

export type AppSettings = { chain: CairnChainConfig | undefined; signalingUrls: string[]; ice: IceConfig };

const KEY = 'cairn.settings.v1';

export function defaultSettings(): AppSettings {
  let chain: CairnChainConfig | undefined;
  try {
    chain = readChainConfig(import.meta.env as Record<string, string | undefined>);
  } catch {
    chain = undefined;
  }
  return { chain, signalingUrls: defaultSignalingUrls(), ice: defaultIceConfig() };
}

export function loadSettings(): AppSettings {
  const defaults = defaultSettings();
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return defaults;
    const saved = JSON.parse(raw) as Partial<AppSettings>;
    return {
      chain: saved.chain && defaults.chain ? { ...defaults.chain, ...saved.chain } : (saved.chain ?? defaults.chain),
      signalingUrls: saved.signalingUrls?.length ? saved.signalingUrls : defaults.signalingUrls,
      ice: saved.ice ? validateIceConfig(saved.ice) : defaults.ice,
    };
  } catch {
    return defaults;
  }
}

export function saveSettings(s: AppSettings): void {
  localStorage.setItem(KEY, JSON.stringify(s));
}

export function resetSettings(): void {
  localStorage.removeItem(KEY);
}

/** The local anvil devnet that `npm start` runs (chain id 31337). */
export const isDevnet = (chain: CairnChainConfig | undefined): boolean => chain?.chainId === 31337;
