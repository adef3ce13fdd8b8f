/**
 * This guardian's own rules (daily limit, recipients, time lock, working hours), published to the
 * log so every guardian sees them; this device checks them on the decoded request before it
 * approves anything, vault or plain address alike.
 */
import { useState, useSyncExternalStore, type FormEvent } from 'react';
import { getAddress, isAddress, parseEther, type Address } from 'viem';
import { formatAmount, type GuardianPolicy, type Weekday } from '../../device/policy/index.ts';
import { useAsync } from '../hooks/useAsync.ts';
import { policyFor } from '../services/policyService.ts';
import type { Snapshot } from '../services/sessionSnapshot.ts';
import type { WalletSession } from '../services/walletSession.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function Policy({ session, snap }: { session: WalletSession; snap: Snapshot }) {
  const service = policyFor(session);
  // Policies are log entries: re-read them whenever the log changes.
  useSyncExternalStore(service.subscribe, service.getVersion);
  const policies = service.policies();
  const mine = policies.get(snap.self);
  const name = (k: string) => (k === snap.self ? 'You' : (snap.info.names[k] ?? 'A guardian'));
  // Kept here: the form remounts with the published version.
  const [saved, setSaved] = useState(false);
  return (
    <section className="narrow">
      <h1>Your rules</h1>
      <p className="muted">
        This device checks every request against your rules before it approves. The other guardians see your rules, and you see theirs. A request your rules
        hold can still go through if enough other guardians approve it.
      </p>
      <PolicyForm key={mine?.seq ?? -1} current={mine} publish={(rules) => (service.publish(rules), setSaved(true))} onEdit={() => setSaved(false)} />
      {saved && (
        <p className="status" data-testid="policy-saved">
          Published. The other guardians now see your rules.
        </p>
      )}
      <h2>Everyone’s rules</h2>
      {policies.size === 0 && <p className="muted">No guardian has set rules yet.</p>}
      {[...policies].map(([k, p]) => (
        <article className="card" key={k} data-testid="guardian-policy">
          <h3>{name(k)}</h3>
          <ul>
            {describePolicy(p).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </article>
      ))}
    </section>
  );
}

type Rules = Omit<GuardianPolicy, 'v' | 'guardian' | 'seq'>;

function PolicyForm({ current, publish, onEdit }: { current: GuardianPolicy | undefined; publish: (r: Rules) => void; onEdit: () => void }) {
  const ethLimit = current?.dailyLimits.find((l) => l.asset === 'ETH')?.max;
  const lock = current?.timeLocks.find((l) => l.asset === 'ETH');
  const [limit, setLimit] = useState(ethLimit !== undefined ? formatAmount(ethLimit, 'ETH').replace(' ETH', '') : '');
  const [lockAbove, setLockAbove] = useState(lock ? formatAmount(lock.above, 'ETH').replace(' ETH', '') : '');
  const [lockHours, setLockHours] = useState(lock ? String(lock.delayHours) : '');
  const [allow, setAllow] = useState(current?.allowList?.join('\n') ?? '');
  const [deny, setDeny] = useState(current?.denyList.join('\n') ?? '');
  const [hoursOn, setHoursOn] = useState(Boolean(current?.workingHours));
  const [start, setStart] = useState(current?.workingHours?.start ?? '09:00');
  const [end, setEnd] = useState(current?.workingHours?.end ?? '18:00');
  const [keyChangeHours, setKeyChangeHours] = useState(current?.keyChangeDelayHours ? String(current.keyChangeDelayHours) : '');
  const { run, busy, error } = useAsync(async () => {
    onEdit();
    const amount = (s: string, what: string) => {
      if (!/^\d+(\.\d+)?$/.test(s.trim())) throw new Error(`${what}: type an amount like 0.5`);
      return parseEther(s.trim());
    };
    const addresses = (text: string, what: string): Address[] =>
      text
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((a) => {
          if (!isAddress(a, { strict: false })) throw new Error(`${what}: “${a.slice(0, 20)}” is not an address`);
          return getAddress(a);
        });
    const rules: Rules = {
      dailyLimits: limit.trim() ? [{ asset: 'ETH', max: amount(limit, 'Daily limit') }] : [],
      timeLocks:
        lockAbove.trim() || lockHours.trim()
          ? [{ asset: 'ETH', above: amount(lockAbove || '0', 'Time lock amount'), delayHours: hoursOf(lockHours, 'Time lock', 24 * 30) }]
          : [],
      allowList: allow.trim() ? addresses(allow, 'Allowed recipients') : null,
      denyList: addresses(deny, 'Blocked recipients'),
      workingHours: hoursOn ? { days: [1, 2, 3, 4, 5] as Weekday[], start, end, zone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' } : null,
      keyChangeDelayHours: keyChangeHours.trim() ? hoursOf(keyChangeHours, 'Changes to the guardians', 24 * 365) : undefined,
    };
    publish(rules);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  return (
    <form className="card form" onSubmit={submit}>
      <label>
        Daily limit (ETH) over any 24 hours; empty: none
        <input value={limit} onChange={(e) => setLimit(e.target.value)} inputMode="decimal" placeholder="1" />
      </label>
      <label>
        Time lock above (ETH): wait before you co-sign payments over this
        <input value={lockAbove} onChange={(e) => setLockAbove(e.target.value)} inputMode="decimal" placeholder="0.5" />
      </label>
      <label>
        Time lock hours: how long to wait
        <input value={lockHours} onChange={(e) => setLockHours(e.target.value)} inputMode="numeric" placeholder="24" />
      </label>
      <label>
        Allowed recipients: only these (one address per line; empty: anyone)
        <textarea value={allow} onChange={(e) => setAllow(e.target.value)} rows={2} />
      </label>
      <label>
        Blocked recipients: never these
        <textarea value={deny} onChange={(e) => setDeny(e.target.value)} rows={2} />
      </label>
      <fieldset className="choice">
        <legend>Working hours</legend>
        <label>
          <input type="checkbox" checked={hoursOn} onChange={(e) => setHoursOn(e.target.checked)} /> Only on weekdays, in this device’s time zone
        </label>
        {hoursOn && (
          <>
            <label>
              From <input type="time" value={start} onChange={(e) => setStart(e.target.value)} />
            </label>
            <label>
              Until <input type="time" value={end} onChange={(e) => setEnd(e.target.value)} />
            </label>
          </>
        )}
      </fieldset>
      <label>
        Wait before approving changes to the guardians (hours; empty: no wait)
        <input value={keyChangeHours} onChange={(e) => setKeyChangeHours(e.target.value)} inputMode="numeric" placeholder="48" />
      </label>
      <ErrorNote text={error} />
      <button type="submit" className="primary" disabled={busy}>
        Publish my rules
      </button>
    </form>
  );
}

function hoursOf(s: string, what: string, max: number): number {
  const n = Number(s.trim());
  if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`${what}: type a whole number of hours (up to ${max})`);
  return n;
}

export function describePolicy(p: GuardianPolicy): string[] {
  const lines: string[] = [];
  for (const l of p.dailyLimits) lines.push(`Daily limit: ${formatAmount(l.max, l.asset)} per 24 hours`);
  for (const l of p.timeLocks) lines.push(`Payments over ${formatAmount(l.above, l.asset)} wait ${l.delayHours} h`);
  if (p.allowList) lines.push(p.allowList.length ? `Only to: ${p.allowList.join(', ')}` : 'No payments at all');
  if (p.denyList.length) lines.push(`Never to: ${p.denyList.join(', ')}`);
  if (p.keyChangeDelayHours) lines.push(`Changes to the guardians wait ${p.keyChangeDelayHours} h before approval`);
  if (p.workingHours)
    lines.push(`Only ${p.workingHours.days.map((d) => DAYS[d]).join(', ')} ${p.workingHours.start}–${p.workingHours.end} (${p.workingHours.zone})`);
  if (!lines.length) lines.push('No limits');
  return lines;
}
