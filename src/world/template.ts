/**
 * The skeleton `stampede world template` writes: a valid world file to fill in. Its secrets are fresh random
 * literals, so the file as it is runs against the embedded cloud (which seeds exactly this world); each one carries
 * the `${ENV_NAME}` form to switch to for a real backend, where secrets must not sit in a file. Pure text: the
 * caller supplies the randomness.
 */

export interface TemplateSize {
  cameras: number;
  users: number;
}

/** Every third camera is shared, so the skeleton shows how and the run has shares to check and revoke. */
const SHARE_EVERY = 3;

export function worldTemplate({ cameras, users }: TemplateSize, secret: () => string): string {
  const userId = (i: number) => `user-${i + 1}`;
  const lines = [
    '# Stampede world: the users and cameras that already exist on your backend (`bin/stampede run --world FILE`).',
    '#',
    '# As written, this file runs against the embedded cloud, which seeds exactly this world: its secrets are random',
    '# literals made for a throwaway run. For a real backend, never keep secrets in this file: write each one as a',
    '# reference to an environment variable, as the comment beside it shows, e.g.',
    '#     secret: "${USER_1_SECRET}"',
    '# and set those variables before the run (the workers inherit them; no secret is ever passed as an argument).',
    `# The references this file would need: ${envRange('USER', users)} and ${envRange('CAMERA', cameras)}.`,
    '# Secrets are at least 6 characters; Stampede keeps every one out of the console, the journal and the reports.',
    '',
    '# id: Stampede\'s name for the user in reports; login and secret: what they log in with.',
    'users:',
  ];
  for (let i = 0; i < users; i++) {
    lines.push(`  - id: ${userId(i)}`, `    login: ${userId(i)}@example.test`, `    secret: "${secret()}" # or "\${${envName('USER', i)}}"`);
  }
  lines.push('', '# id and secret: the device\'s credentials; owner: a user id above; shares: other users who may see it.', 'cameras:');
  for (let i = 0; i < cameras; i++) {
    const owner = i % users;
    lines.push(`  - id: cam-${i + 1}`, `    secret: "${secret()}" # or "\${${envName('CAMERA', i)}}"`, `    owner: ${userId(owner)}`);
    if (users > 1 && i % SHARE_EVERY === 0) lines.push(`    shares: [${userId((owner + 1) % users)}]`);
  }
  return `${lines.join('\n')}\n`;
}

function envName(kind: string, index: number): string {
  return `${kind}_${index + 1}_SECRET`;
}

function envRange(kind: string, count: number): string {
  return count === 1 ? envName(kind, 0) : `${envName(kind, 0)} .. ${envName(kind, count - 1)}`;
}
