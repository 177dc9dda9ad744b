import type { TargetForm } from './connect-store.js';

/**
 * Why the form cannot be saved yet, in the order the fields appear (empty: it can). The API checks all of this
 * again; saying it here lets the user see why Save is disabled instead of guessing.
 */
export function saveBlockers(form: TargetForm): string[] {
  const url = form.url.trim();
  const out: string[] = [];
  if (!form.name.trim()) out.push('name is required');
  if (!url) out.push('URL is required: ssh://USER@HOST[:PORT] or https://HOST/…');
  else if (url.startsWith('http:')) out.push('plain http is refused (the evidence and its nonce would travel unprotected): use https');
  else if (!url.startsWith('ssh:') && !url.startsWith('https:')) out.push('the URL must start with ssh:// or https://');
  else if (url.startsWith('ssh:') && !sshParts(url)) out.push('an ssh:// URL needs a user and a host: ssh://USER@HOST[:PORT]');
  else if (url.startsWith('https:') && form.adapter === 'template' && !url.includes('{nonce}')) out.push('a template URL must hold {nonce}');
  if (url.startsWith('ssh:') && form.auth === 'key' && !form.identity.trim()) out.push('key file is required (or sign in with ssh-agent)');
  return out;
}

/** USER, HOST and PORT of an ssh:// URL (the API parses it again), or undefined. */
export function sshParts(url: string): { user: string; host: string; port: number } | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'ssh:' || !u.username || !u.hostname || u.password) return undefined;
  return { user: decodeURIComponent(u.username), host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : 22 };
}

/** What saving an ssh:// target lets the app do, in the words the confirmation shows. */
export interface SshGrant {
  host: string;
  user: string;
  key: string;
  command: string;
}

export function sshGrant(form: TargetForm): SshGrant | undefined {
  const parts = sshParts(form.url.trim());
  if (!parts) return undefined;
  return {
    host: parts.port === 22 ? parts.host : `${parts.host}:${parts.port}`,
    user: parts.user,
    key: form.auth === 'key' ? `the key file ${form.identity.trim()}` : 'any key your ssh-agent offers',
    command: form.collector.trim() || 'the built-in collector (it asks configfs-tsm or Gramine for a quote)',
  };
}
