// MQTT topic filter matching (`+` one level, `#` the rest), for routing messages the client receives.
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    // `sport/#` also matches `sport` itself (MQTT 3.1.1 §4.7.1.2).
    if (level === '#') return t.length >= i;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}
