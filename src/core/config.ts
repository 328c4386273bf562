// Turns an element's attributes into a validated account configuration. Pure: no DOM, no network.

export interface AccountConfig {
  /** WebSocket URL; undefined means "discover from domain" (XEP-0156). */
  service?: string;
  domain: string;
  login:
    | { kind: 'password'; jid: string; password: string }
    | { kind: 'anonymous'; nick?: string }
    | { kind: 'credentials-url'; url: string };
  nick?: string;
}

export interface ConfigProblem {
  code: 'missing-attribute' | 'invalid-attribute';
  attribute: string;
  message: string;
}

export type Attrs = Partial<Record<'service' | 'domain' | 'jid' | 'password' | 'credentials-url' | 'anonymous' | 'nick', string | null>>;

const JID_RE = /^[^@/\s]+@[^@/\s]+$/;

export function isBareJid(s: string): boolean {
  return JID_RE.test(s);
}

export function parseConfig(a: Attrs): AccountConfig | ConfigProblem {
  const service = a.service?.trim() || undefined;
  if (service) {
    let url: URL;
    try {
      url = new URL(service);
    } catch {
      return invalid('service', `"${service}" is not a URL; expected ws://… or wss://…`);
    }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
      return invalid('service', `"${service}" must start with wss:// (or ws:// on localhost)`);
    }
  }
  const jid = a.jid?.trim() || undefined;
  if (jid && !isBareJid(jid)) return invalid('jid', `"${jid}" is not an XMPP address like name@example.com`);
  const domain = a.domain?.trim() || (jid ? jid.split('@')[1] : undefined) || (service ? new URL(service).hostname : undefined);
  const nick = a.nick?.trim() || undefined;

  let login: AccountConfig['login'];
  if (a['credentials-url']) {
    login = { kind: 'credentials-url', url: a['credentials-url'] };
  } else if (a.anonymous != null) {
    login = { kind: 'anonymous', nick };
  } else if (jid) {
    if (!a.password) return missing('password', `"jid" is set but "password" is missing (or use "credentials-url")`);
    login = { kind: 'password', jid, password: a.password };
  } else {
    return missing('jid', 'No login configured: set "jid" and "password", "credentials-url", or "anonymous"');
  }
  if (!domain) return missing('domain', 'Set "service" or "domain" so the widget knows which server to use');
  return { service, domain, login, nick };
}

export function isProblem(c: AccountConfig | ConfigProblem): c is ConfigProblem {
  return 'code' in c;
}

/** Sessions are shared by everything that names the same account on the same server. */
export function accountKey(c: AccountConfig): string {
  const who = c.login.kind === 'password' ? c.login.jid
    : c.login.kind === 'credentials-url' ? `url:${c.login.url}` : `anonymous:${c.nick ?? ''}`;
  return `${who}|${c.service ?? c.domain}`;
}

function missing(attribute: string, message: string): ConfigProblem {
  return { code: 'missing-attribute', attribute, message };
}
function invalid(attribute: string, message: string): ConfigProblem {
  return { code: 'invalid-attribute', attribute, message };
}
