// Copies of shared/fixtures/incidents/{low-minimal,medium-recon}.json: the API process cannot read the
// fixtures (they live beside the checkout), and test/openapi.int.test.ts fails if a copy drifts from its fixture.

/** The smallest valid incident: only the required fields. Fixture `low-minimal.json`. */
export const minimalIncident = {
  id: 'INC-2026-0004',
  createdAt: '2026-11-20T08:00:00.000Z',
  actor: {
    name: 'k.lee',
    type: 'user'
  },
  risk: {
    score: 18
  }
};

/** A typical incident with most optional sections. Fixture `medium-recon.json`. */
export const reconIncident = {
  id: 'INC-2026-0003',
  createdAt: '2026-11-21T00:22:00.000Z',
  origin: 'auto',
  actor: {
    name: '203.0.113.45',
    type: 'ip'
  },
  risk: {
    score: 52,
    previousScore: 40,
    confidence: 0.65,
    primaryDriver: 'Domain Group Enumeration Via Net.exe',
    factors: [
      {
        name: 'Alert severity',
        score: 39,
        weight: 0.2
      },
      {
        name: 'Asset criticality',
        score: 38,
        weight: 0.15
      },
      {
        name: 'User privilege',
        score: 33,
        weight: 0.15
      },
      {
        name: 'Behavioral anomaly',
        score: 37,
        weight: 0.15
      },
      {
        name: 'Threat intelligence match',
        score: 52,
        weight: 0.1
      },
      {
        name: 'Attack-chain progression',
        score: 34,
        weight: 0.15
      },
      {
        name: 'Detection confidence',
        score: 55,
        weight: 0.1
      }
    ]
  },
  attackPattern: 'Discovery -> Reconnaissance',
  systemState: 'Under investigation',
  campaignId: 'CMP-6007',
  activity: {
    totalAlarms: 5,
    threatCases: 3,
    uniqueRules: 2,
    primaryRule: 'Domain Group Enumeration Via Net.exe'
  },
  timeline: {
    firstAlertAt: '2026-11-20T23:16:00.000Z',
    lastAlertAt: '2026-11-21T00:22:00.000Z',
    escalatedAt: '2026-11-21T00:25:00.000Z'
  },
  sla: {
    targetMinutes: 480,
    status: 'ON_TRACK',
    consumedPercent: 48
  },
  mitre: {
    tactics: [
      {
        id: 'TA0007',
        name: 'Discovery'
      },
      {
        id: 'TA0043',
        name: 'Reconnaissance'
      }
    ],
    techniques: [
      {
        id: 'T1087.002',
        name: 'Domain Account',
        tacticId: 'TA0007'
      },
      {
        id: 'T1595.002',
        name: 'Vulnerability Scanning',
        tacticId: 'TA0043'
      }
    ]
  },
  rules: [
    {
      name: 'Domain Group Enumeration Via Net.exe',
      severity: 'low',
      count: 19,
      sigmaId: '8a3661a4-47ed-4ca2-85d7-532793b96d41',
      firstSeenAt: '2026-11-20T23:16:00.000Z',
      lastSeenAt: '2026-11-20T23:38:00.000Z',
      sampleEvent: {
        time: '2026-11-20T23:16:17.000Z',
        host: 'EDGE-FW-01',
        user: '-',
        eventId: '4799',
        detail: 'domain group enumeration via net.exe observed (T1087.002)'
      }
    },
    {
      name: 'External Vulnerability Scan Against Edge Host',
      severity: 'low',
      count: 3,
      sigmaId: '7ee40739-9154-445f-81c5-c7bb956e8373',
      firstSeenAt: '2026-11-21T00:00:00.000Z',
      lastSeenAt: '2026-11-21T00:22:00.000Z',
      sampleEvent: {
        time: '2026-11-21T00:00:17.000Z',
        host: 'EDGE-FW-01',
        user: '-',
        eventId: '5156',
        detail: 'external vulnerability scan against edge host observed (T1595.002)'
      }
    }
  ],
  blastRadius: {
    hosts: [
      'EDGE-FW-01'
    ],
    users: [
      '-'
    ],
    siemAlarms: 5,
    detections: 22,
    openThreatCases: 2
  },
  siemAlarms: [
    {
      id: 'ALM-766568',
      date: '2026-11-20T23:00:00.000Z',
      rbp: 78,
      entity: '203.0.113.45'
    },
    {
      id: 'ALM-713425',
      date: '2026-11-20T23:07:00.000Z',
      rbp: 74,
      entity: '203.0.113.45'
    },
    {
      id: 'ALM-759494',
      date: '2026-11-20T23:14:00.000Z',
      rbp: 94,
      entity: '203.0.113.45'
    },
    {
      id: 'ALM-732084',
      date: '2026-11-20T23:21:00.000Z',
      rbp: 88,
      entity: '203.0.113.45'
    },
    {
      id: 'ALM-778287',
      date: '2026-11-20T23:28:00.000Z',
      rbp: 39,
      entity: '203.0.113.45'
    }
  ]
};
