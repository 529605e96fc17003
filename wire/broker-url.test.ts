import { describe, expect, it } from 'vitest';
import { redactBrokerUrl, takeUserinfo } from './broker-url';

describe('takeUserinfo', () => {
  it.each([
    ['user and password', { url: 'mqtt://tech:s3cret@10.0.0.5:1883' }, { url: 'mqtt://10.0.0.5:1883', username: 'tech', password: 's3cret' }],
    ['percent-encoded userinfo', { url: 'mqtts://t%40site:p%3Aw%2Fd@broker.example:8883' }, { url: 'mqtts://broker.example:8883', username: 't@site', password: 'p:w/d' }],
    ['a username alone', { url: 'ws://tech@h:9001/mqtt' }, { url: 'ws://h:9001/mqtt', username: 'tech' }],
    ['typed fields winning over the URL', { url: 'mqtt://a:b@h', username: 'typed', password: 'typed-pw' }, { url: 'mqtt://h', username: 'typed', password: 'typed-pw' }],
    ['no userinfo', { url: 'mqtt://h:1883', clientId: 'c' }, { url: 'mqtt://h:1883', clientId: 'c' }],
  ])('%s', (_name, input, expected) => {
    expect(takeUserinfo(input)).toEqual(expected);
  });
});

describe('redactBrokerUrl', () => {
  it.each([
    ['mqtt://tech:s3cret@10.0.0.5:1883', 'mqtt://tech@10.0.0.5:1883'],
    ['mqtt://:s3cret@h', 'mqtt://h'],
    ['mqtt://h:1883', 'mqtt://h:1883'],
    ['http://tech:s3cret@h/', 'http://tech@h/'],
    ['not a url //tech:s3cret@h', 'not a url //***@h'],
  ])('%s → %s', (input, expected) => {
    expect(redactBrokerUrl(input)).toBe(expected);
    expect(redactBrokerUrl(input)).not.toContain('s3cret');
  });
});
