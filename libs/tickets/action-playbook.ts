import type { EnterpriseTacticId } from './attack-tactics.js';

/**
 * The playbook behind the recommended actions: for each ATT&CK enterprise tactic and some
 * well-known techniques, steps an operator can execute, each naming what it acts on (host, user,
 * technique) and the control it uses (EDR containment, firewall egress rule, GPO, MFA…).
 * A step returns undefined when the incident lacks what it acts on; steps never hedge.
 */

export type ActionCategory = 'containment' | 'eradication' | 'prevention' | 'bestPractices';

/** What one step acts on, already formatted as text ("SRV-DC-01 and WKS-FIN-042"). */
export interface ActionScope {
  /** Hosts the tactic or technique was seen on (else every host of the incident). */
  hosts?: string;
  /** Users it was seen with (else every user of the incident). */
  users?: string;
  /** How many users `users` names, for singular/plural wording. */
  userCount: number;
  /** The techniques it covers, `T1003.001 LSASS Memory and T1558.003 Kerberoasting`. */
  techniques?: string;
  /** Hosts, else users, else the actor: something a step can always name. */
  subject: string;
  /** The actor's name when the actor is an IP address. */
  ip?: string;
}

export type ActionStep = readonly [ActionCategory, (s: ActionScope) => string | undefined];

const via = (s: ActionScope) => (s.techniques === undefined ? '' : ` (${s.techniques})`);
const machines = (s: ActionScope) => s.hosts ?? s.subject;
const people = (s: ActionScope) => s.users ?? s.subject;
const passwords = (s: ActionScope) =>
  s.users === undefined
    ? undefined
    : s.userCount === 1
      ? `Reset the password of ${s.users} and revoke its Kerberos TGTs`
      : `Reset the passwords of ${s.users}, and revoke their Kerberos TGTs`;

/** Steps per tactic, keyed by every one of the 14 enterprise tactics (a missing one is a compile error). */
export const TACTIC_STEPS = {
  TA0043: [
    ['containment', (s) => (s.ip === undefined ? undefined : `Block ${s.ip} in the perimeter firewall and the WAF deny list`)],
    ['prevention', (s) => `Close the ports and services of ${machines(s)} that the reconnaissance${via(s)} found exposed, in the perimeter firewall policy`],
    ['bestPractices', (s) => `Run an authenticated vulnerability scan of ${machines(s)} and patch its findings within the critical-patch SLA`],
  ],
  TA0042: [
    ['containment', (s) => `Block the domains, IPs and certificates staged against ${s.subject}${via(s)} in the secure web gateway and the DNS sinkhole`],
    ['prevention', (s) => `Turn on newly-registered and look-alike domain blocking in the secure web gateway policy for ${people(s)}`],
    ['bestPractices', (s) => `Load the staging indicators seen against ${s.subject} into the threat-intelligence platform so the SIEM matches them on every tenant`],
  ],
  TA0001: [
    ['containment', (s) => (s.hosts === undefined ? undefined : `Isolate ${s.hosts} through the EDR network-containment policy until the entry point${via(s)} is closed`)],
    ['eradication', (s) => (s.users === undefined ? undefined : `Revoke the active sessions and refresh tokens of ${s.users} in the identity provider`)],
    ['prevention', (s) => `Enforce phishing-resistant MFA for ${people(s)} through the conditional-access policy`],
  ],
  TA0002: [
    ['containment', (s) => `Kill the script-interpreter processes${via(s)} on ${machines(s)} from the EDR remote-response console`],
    ['eradication', (s) => `Delete the scripts and binaries dropped on ${machines(s)} and run a full EDR scan on each`],
    ['prevention', (s) => `Apply the WDAC/AppLocker allow-list policy to ${machines(s)} so unsigned scripts and binaries cannot start`],
  ],
  TA0003: [
    ['eradication', (s) => `Remove the scheduled tasks, services and Run keys created on ${machines(s)}${via(s)}, using the EDR autoruns inventory`],
    ['prevention', (s) => `Restrict scheduled-task and service creation on ${machines(s)} to the server-admin group through GPO`],
    ['bestPractices', (s) => `Compare the autoruns of ${machines(s)} with the gold-image baseline and record every difference in the case`],
  ],
  TA0004: [
    ['containment', (s) => `Remove ${people(s)} from Domain Admins and every local Administrators group until the escalation path${via(s)} is closed`],
    ['eradication', (s) => `Install the missing privilege-escalation patches on ${machines(s)}`],
    ['prevention', (s) => `Deploy LAPS to ${machines(s)} so no two hosts share a local administrator password`],
  ],
  TA0005: [
    ['containment', (s) => `Re-enable the EDR sensor and Defender real-time protection on ${machines(s)} and lock them with tamper protection${via(s)}`],
    ['eradication', (s) => `Restore the audit-policy and security-tool settings changed on ${machines(s)} from the GPO security baseline`],
    ['prevention', (s) => `Alert on EDR sensor-health loss and audit-log clearing (event 1102) from ${machines(s)} in the SIEM`],
  ],
  TA0006: [
    ['containment', passwords],
    ['eradication', (s) => `Rotate every credential cached on ${machines(s)}${via(s)}, service-account and local administrator passwords included`],
    ['prevention', (s) => `Enable LSA protection (RunAsPPL) and Credential Guard on ${machines(s)} through GPO`],
  ],
  TA0007: [
    ['containment', (s) => `Block LDAP, SAMR and SMB enumeration from ${machines(s)} to the domain controllers with a host-firewall rule`],
    ['prevention', () => 'Limit remote SAM calls to administrators with the "Network access: Restrict clients allowed to make remote calls to SAM" GPO on the domain controllers'],
    ['bestPractices', (s) => `Add a SIEM correlation rule that alerts on account and group enumeration${via(s)} by ${people(s)}`],
  ],
  TA0008: [
    ['containment', (s) => `Isolate ${machines(s)} through the EDR network-containment policy`],
    ['eradication', (s) => `Disable ${people(s)} in Active Directory until their credentials are reset: they were used to move between hosts${via(s)}`],
    ['prevention', (s) => `Allow RDP and admin-share logons to ${machines(s)} only from privileged-access workstations, through GPO`],
  ],
  TA0009: [
    ['containment', (s) => `Suspend the archiving and staging processes${via(s)} on ${machines(s)} from the EDR console and keep the staged files for forensics`],
    ['eradication', (s) => `Delete the staging directories on ${machines(s)} once they are imaged`],
    ['prevention', (s) => `Apply the DLP policy to the file shares and mailboxes that ${people(s)} can read`],
  ],
  TA0011: [
    ['containment', (s) => `Block the beaconing destinations of ${machines(s)} with a firewall egress rule${via(s)}`],
    ['eradication', (s) => `Remove the implant behind the beaconing on ${machines(s)} and re-image any host where it comes back`],
    ['prevention', (s) => `Send all web traffic of ${machines(s)} through the authenticating proxy and deny direct outbound HTTP/HTTPS in the firewall`],
  ],
  TA0010: [
    ['containment', (s) => `Block outbound transfers from ${machines(s)} to unapproved destinations with a firewall egress rule${via(s)}`],
    ['eradication', (s) => `Revoke the cloud-storage and API tokens held by ${people(s)}`],
    ['prevention', (s) => `Turn on DLP egress inspection for ${machines(s)} with an alert above each host's daily upload baseline`],
    ['bestPractices', (s) => `Measure the data sent from ${machines(s)} in the proxy and NetFlow records, for the breach-notification assessment`],
  ],
  TA0040: [
    ['containment', (s) => `Disconnect ${machines(s)} through the EDR network-containment policy to stop the damage spreading${via(s)}`],
    ['eradication', (s) => `Re-image ${machines(s)} and restore the data from the last clean offline backup`],
    ['prevention', (s) => `Keep immutable offline backups of ${machines(s)} and test a restore of each`],
  ],
} as const satisfies Record<EnterpriseTacticId, readonly ActionStep[]>;

/** Steps for well-known techniques, keyed by base technique id (sub-techniques match their base). */
export const TECHNIQUE_STEPS: Readonly<Record<string, readonly ActionStep[]>> = {
  T1003: [['containment', (s) => `Reset the passwords of every account that signed in to ${machines(s)} since the first alert: ${s.techniques} exposes them`]],
  T1021: [['containment', (s) => `Block inbound RDP (3389) and SMB (445) between workstations with the host-firewall GPO, starting with ${machines(s)} (${s.techniques})`]],
  T1048: [['containment', (s) => `Block outbound DNS, FTP and SMTP from ${machines(s)} except through the approved resolvers and mail relays (${s.techniques})`]],
  T1059: [['prevention', (s) => `Enforce PowerShell Constrained Language Mode and script-block logging on ${machines(s)} through GPO (${s.techniques})`]],
  T1071: [['containment', (s) => `Add the command-and-control domains contacted by ${machines(s)} to the DNS sinkhole and the proxy block list (${s.techniques})`]],
  T1078: [['eradication', (s) => `Disable ${people(s)} and re-enable each only after a verified password reset and MFA enrolment (${s.techniques})`]],
  T1110: [['prevention', (s) => `Apply the account-lockout GPO and MFA to ${people(s)}, and block the sign-in source in the identity provider's risky-sign-in policy (${s.techniques})`]],
  T1190: [['containment', (s) => `Put a WAF virtual patch in front of the application exploited on ${machines(s)} (${s.techniques})`]],
  T1486: [['containment', (s) => `Unmap the network shares from ${machines(s)} and snapshot the file servers they reach (${s.techniques})`]],
  T1558: [['prevention', (s) => `Set AES-only encryption and 25-character random passwords on the service accounts targeted by ${s.techniques}, then reset the krbtgt password twice`]],
  T1562: [['prevention', (s) => `Remove the local administrator rights that let the users of ${machines(s)} stop the EDR sensor or Defender (${s.techniques})`]],
  T1566: [['containment', (s) => `Purge the phishing message from the mailboxes of ${people(s)} with the mail gateway's search-and-purge action and block its sender (${s.techniques})`]],
};
