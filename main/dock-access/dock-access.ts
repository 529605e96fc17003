// Dockside as the cloud of the docks at a site with none: it keeps the dock-access state (logins,
// licence, organisation), answers the join requests a dock sends on the built-in broker, and remembers
// how far each dock got. The core decides where it applies: never on a site broker.
import { EventEmitter } from 'node:events';
import type { BrokerAccount, BrokerLogin, DjiLicence, DockJoin } from '../../preload/api';
import { decodeEnvelope, requireMethod, type Envelope } from '../../wire/dji/envelope';
import { newLogin } from './credentials';
import { loadDockAccess, saveDockAccess, type DockAccessState } from './dock-access-store';
import { decodeDockRequest, isJoinMethod, type DockRequest } from './dock-requests';
import { answerRequest } from './request-answers';

/** One line for the log about a dock's join (never a secret in it); `raw` is the dock's own request. */
export interface JoinNote {
  sn: string;
  words: string;
  failed: boolean;
  raw: unknown;
}

export interface RequestOutcome {
  /** The requests_reply envelope to publish on the dock's topic, when there is an answer. */
  reply?: Envelope;
  note?: JoinNote;
}

/** Recent joins worth showing; older ones are in the log. */
const MAX_JOINS = 20;
/** Methods outside dock access a dock may ask (flight areas, storage): noted once per dock and method. */
const MAX_NOTED_METHODS = 256;

const STEP: Record<DockRequest['method'], DockJoin['step']> = {
  config: 'licence-sent',
  airport_bind_status: 'bind-checked',
  airport_organization_get: 'bind-checked',
  airport_organization_bind: 'bound',
};

export class DockAccess extends EventEmitter<{ changed: [] }> {
  private readonly joinList = new Map<string, DockJoin>();
  private readonly notedMethods = new Set<string>();

  private constructor(
    private readonly dataDir: string,
    private state: DockAccessState,
    readonly problem: string | undefined,
  ) {
    super();
  }

  /** Loads (or makes) the data folder's state; a licence given by the host (flags, environment) is kept. */
  static open(dataDir: string, licence?: DjiLicence): DockAccess {
    const { state, problem } = loadDockAccess(dataDir);
    const access = new DockAccess(dataDir, licence ? { ...state, licence } : state, problem);
    access.save();
    return access;
  }

  get current(): Readonly<DockAccessState> {
    return this.state;
  }

  joins(): DockJoin[] {
    return [...this.joinList.values()].reverse();
  }

  private save(): void {
    saveDockAccess(this.dataDir, this.state);
  }

  update(patch: Partial<DockAccessState>): void {
    this.state = { ...this.state, ...patch };
    this.save();
    this.emit('changed');
  }

  login(account: BrokerAccount): BrokerLogin {
    return account === 'dock' ? this.state.dockLogin : this.state.ingestLogin;
  }

  setLogin(account: BrokerAccount, login: BrokerLogin): void {
    this.update(account === 'dock' ? { dockLogin: login } : { ingestLogin: login });
  }

  regenerateLogin(account: BrokerAccount): void {
    this.setLogin(account, newLogin(account === 'dock' ? 'dock' : 'vehicles'));
  }

  private joined(sn: string, step: DockJoin['step'], words: string): void {
    this.joinList.delete(sn);
    this.joinList.set(sn, { sn, step, words, at: new Date().toISOString() });
    if (this.joinList.size > MAX_JOINS) this.joinList.delete(this.joinList.keys().next().value!);
    this.emit('changed');
  }

  /** A dock's connection was seen on the built-in broker (its first own topic). */
  connected(sn: string): void {
    if (this.joinList.has(sn)) return;
    this.joined(sn, 'connected', `${sn} connected to the built-in broker`);
  }

  /** A message on `thing/product/{sn}/requests`, from the dock holding that SN. */
  handleRequest(sn: string, payload: Uint8Array, ntpHost: string): RequestOutcome {
    const decoded = requireMethod(decodeEnvelope(payload));
    if (!decoded.ok) return { note: { sn, words: `malformed request from ${sn}: ${decoded.error.reason}`, failed: true, raw: decoded.error.text } };
    const envelope = decoded.envelope;
    if (!isJoinMethod(envelope.method)) {
      const key = `${sn}|${envelope.method}`;
      if (this.notedMethods.has(key) || this.notedMethods.size >= MAX_NOTED_METHODS) return {};
      this.notedMethods.add(key);
      return { note: { sn, words: `${sn} asked "${envelope.method}", which Dockside does not answer (not part of joining or upgrading; shown once)`, failed: false, raw: envelope } };
    }
    const request = decodeDockRequest(envelope);
    if (!request.ok) return { note: { sn, words: `${sn} sent a ${request.method} request Dockside cannot read: ${request.reason}`, failed: true, raw: envelope } };
    const answer = answerRequest(request.request, {
      ...(this.state.licence ? { licence: this.state.licence } : {}),
      ntpHost: this.state.ntpHost || ntpHost,
      organisation: this.state.organisation,
      bound: this.state.bound,
      now: new Date().toISOString(),
    });
    const words = `${sn} ${answer.words}`;
    if (answer.reply === null) {
      this.joined(sn, 'no-licence', words);
      return { note: { sn, words, failed: true, raw: envelope } };
    }
    const refused = answer.refused;
    if (answer.bind && Object.keys(answer.bind).length > 0) this.update({ bound: { ...this.state.bound, ...answer.bind } });
    this.joined(sn, refused ? 'bind-refused' : STEP[request.request.method], words);
    const reply: Envelope = { tid: envelope.tid, bid: envelope.bid, timestamp: Date.now(), method: envelope.method, data: answer.reply, gateway: sn };
    return { reply, note: { sn, words, failed: refused, raw: envelope } };
  }
}
