// What the Connection form says about a field the contract's schema refused: the field by its label,
// the rule, and an example, rather than the schema's own wording.
export type ConnectionField = 'url' | 'clientId' | 'username' | 'password' | 'caPem';

const LABELS: Record<ConnectionField, string> = {
  url: 'Broker URL',
  clientId: 'Client ID',
  username: 'Username',
  password: 'Password',
  caPem: 'CA certificate',
};

export const URL_EXAMPLE = 'mqtt://192.168.1.10:1883';

export interface SchemaIssue {
  code: string;
  message: string;
  maximum?: number | bigint;
}

export function fieldMessage(field: ConnectionField, issue: SchemaIssue, value: string): string {
  if (field === 'url') {
    return value.trim() === '' ? `Enter the broker's address, e.g. ${URL_EXAMPLE}.` : `Use an mqtt://, mqtts://, ws:// or wss:// address with a host, e.g. ${URL_EXAMPLE}.`;
  }
  if (issue.code === 'too_big' && issue.maximum !== undefined) return `${LABELS[field]}: at most ${issue.maximum} characters (this one has ${value.length}).`;
  return `${LABELS[field]}: ${issue.message}`;
}
