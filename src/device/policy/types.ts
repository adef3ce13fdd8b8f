/**
 * Types of a guardian's spending policy. Each guardian sets its own rules; its device evaluates
 * them before co-signing anything, for vault (FROST) and EOA (threshold ECDSA) requests alike.
 */

export type Address = `0x${string}`;

/** An ERC-20 token, identified by its contract address (decimals and symbol are for display). */
export type Erc20Asset = { address: Address; decimals: number; symbol: string };
export type Asset = 'ETH' | Erc20Asset;

export type SpendKind = 'vault' | 'eoa';

/** A request as decoded and shown to the user (never raw calldata). */
export type SpendRequest = {
  requestId: string;
  kind: SpendKind;
  asset: Asset;
  /** In the asset's smallest unit (wei, or token base units). */
  amount: bigint;
  /** The recipient: for an ERC-20 transfer the token recipient, not the token contract. */
  to: Address;
  /** When the request was created (ms since epoch), as recorded in the request log. */
  createdAt: number;
  /**
   * When this device first saw the request (ms). The time lock counts from the later of the two,
   * so a requester who backdates `createdAt` gains nothing.
   */
  seenAt?: number;
};

/** A spend this device co-signed (its own history; both kinds count towards the same limits). */
export type SpendRecord = {
  requestId: string;
  kind: SpendKind;
  asset: Asset;
  amount: bigint;
  to: Address;
  /** When this device released its signature share (ms). */
  signedAt: number;
};

/** At most `max` of `asset` in any rolling 24-hour window (see README: rolling, not calendar). */
export type DailyLimit = { asset: Asset; max: bigint };

/** Requests of `asset` above `above` wait `delayHours` after creation before this device co-signs. */
export type TimeLock = { asset: Asset; above: bigint; delayHours: number };

/** 0 = Sunday … 6 = Saturday (as `Date.getUTCDay`). */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export type WorkingHours = {
  days: Weekday[];
  /** "HH:MM", inclusive. */
  start: string;
  /** "HH:MM" (up to "24:00"), exclusive; later than `start` (no overnight windows). */
  end: string;
  /** An IANA time zone ("Europe/Berlin", "UTC") or a fixed offset "+05:30" / "-08:00". */
  zone: string;
};

export type GuardianPolicy = {
  /** 1, or 2 when `keyChangeDelayHours` is set (the canonical encoding picks it). */
  v: 1 | 2;
  /** The guardian (FROST identifier, canonical 32-byte hex) whose rules these are. */
  guardian: string;
  /** Increases with each published version, so the newest wins in the log. */
  seq: number;
  dailyLimits: DailyLimit[];
  /** `null`: any recipient; otherwise only these. */
  allowList: Address[] | null;
  denyList: Address[];
  timeLocks: TimeLock[];
  /** `null`: any time. */
  workingHours: WorkingHours | null;
  /**
   * Key changes (refresh, add or remove a guardian, change how many approve) wait this many hours
   * after they are proposed before this device approves them, like a guardian delay; 0 or absent: none.
   */
  keyChangeDelayHours?: number;
};

export type PolicyRule = 'denyList' | 'allowList' | 'dailyLimit' | 'timeLock' | 'workingHours' | 'keyChangeDelay';

export type PolicyDecision =
  | { allowed: true }
  | {
      allowed: false;
      rule: PolicyRule;
      /** Plain words for the user, e.g. "Over your daily limit of 1 ETH: 0.6 ETH already sent in the last 24 hours". */
      message: string;
      /** When the request would pass every rule, if waiting can fix it (ms since epoch). */
      retryAt?: number;
    };

/** One rule's verdict, internal to the evaluator. */
export type RuleDenial = { rule: PolicyRule; message: string; retryAt?: number };
