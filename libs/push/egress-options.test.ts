import { afterAll, expect, test } from '@jest/globals';
import { ConfigError, parseConfig } from '@rhx/config';
import { makePrivatePki } from '@rhx/testing';
import { adapterOptionsFrom } from './adapter-provider.js';

// The network settings from the environment into every adapter: the proxy variables, and each system's
// PEM files, checked at start and read once.
const pki = makePrivatePki();
afterAll(() => pki.remove());

test('HTTPS_PROXY, NO_PROXY and a system\'s CA and client certificate reach the adapters', () => {
  const config = parseConfig({
    NODE_ENV: 'test', HTTPS_PROXY: 'http://egress:pw@proxy.corp.example:3128', NO_PROXY: '.corp.example',
    JIRA_CA_FILE: pki.files.ca, SNOW_CLIENT_CERT_FILE: pki.files.clientCert, SNOW_CLIENT_KEY_FILE: pki.files.clientKey,
  });
  const options = adapterOptionsFrom(config);
  expect(options.proxy).toEqual({ httpsProxy: 'http://egress:pw@proxy.corp.example:3128', noProxy: ['.corp.example'] });
  expect(options.tls).toEqual({ jira: { ca: pki.caCert }, servicenow: { cert: pki.clientCert, key: pki.clientKey } });
});

test('a missing or non-PEM file, or a certificate without its key, stops the process at start naming the variable', () => {
  const problems = (env: Record<string, string>) => {
    try {
      parseConfig({ NODE_ENV: 'test', ...env });
      return [];
    } catch (err) {
      return (err as ConfigError).problems;
    }
  };
  expect(problems({ JIRA_CA_FILE: '/nonexistent/ca.pem' })).toEqual([{ variable: 'JIRA_CA_FILE', message: 'cannot be read (/nonexistent/ca.pem: ENOENT)' }]);
  expect(problems({ PROACTIVE_SNOW_CA_FILE: '/etc/hostname' })).toEqual([{ variable: 'PROACTIVE_SNOW_CA_FILE', message: 'names a file that holds no PEM block (/etc/hostname)' }]);
  expect(problems({ SNOW_CLIENT_CERT_FILE: pki.files.clientCert })).toEqual([{ variable: 'SNOW_CLIENT_KEY_FILE', message: 'and SNOW_CLIENT_CERT_FILE must be set together' }]);
});
